using System.Text;
using HvDumpKit.Reader;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// A huge ELF vmcore that costs no disk: one PT_LOAD of N GiB over a sparse file (holes read as
/// zero), with one non-zero page per GiB. For checking that memory stays flat with dump size.
/// </summary>
public static class SparseVmcore
{
    public static string Create(string path, int gib)
    {
        var b = new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0-sparse\nPAGESIZE=4096\nCRASHTIME=1700000000\n");
        var notes = b.NoteBlob();
        ulong memsz = (ulong)gib << 30;
        var hdr = new byte[4096];
        var s = hdr.AsSpan();
        s[0] = 0x7F; s[1] = (byte)'E'; s[2] = (byte)'L'; s[3] = (byte)'F';
        s[4] = 2; s[5] = 1; s[6] = 1;
        var o = ByteOrder.Little;
        Endian.W16(s[16..], 4, o); Endian.W16(s[18..], 62, o); Endian.W32(s[20..], 1, o);
        Endian.W64(s[32..], 64, o); Endian.W16(s[52..], 64, o); Endian.W16(s[54..], 56, o); Endian.W16(s[56..], 2, o);
        var note = s[64..]; // PT_NOTE
        Endian.W32(note, 4, o); Endian.W64(note[8..], 176, o); Endian.W64(note[32..], (ulong)notes.Length, o); Endian.W64(note[40..], (ulong)notes.Length, o);
        var load = s[120..]; // PT_LOAD
        Endian.W32(load, 1, o); Endian.W32(load[4..], 7, o); Endian.W64(load[8..], 4096, o);
        Endian.W64(load[16..], 0xffff888000000000UL, o); Endian.W64(load[32..], memsz, o); Endian.W64(load[40..], memsz, o);
        notes.CopyTo(s[176..]);
        using var f = new FileStream(path, FileMode.Create);
        f.Write(hdr);
        f.SetLength(4096 + (long)memsz);
        for (int g = 0; g < gib; g++)
        {
            f.Position = 4096 + ((long)g << 30);
            f.Write(Encoding.ASCII.GetBytes(new string((char)('A' + g % 26), 4096)));
        }
        return path;
    }
}
