using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Elf;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// Builds small ELF vmcores in memory, in the spirit of libkdumpfile's mkelf: any class, byte
/// order and machine; notes; PT_LOADs with holes and p_filesz &lt; p_memsz; program headers at any
/// offset (QEMU 7.2's layout with two section headers at 64); PN_XNUM.
/// </summary>
public sealed class ElfCoreBuilder
{
    public bool Is64 { get; set; } = true;
    public ByteOrder Order { get; set; } = ByteOrder.Little;
    public ushort Machine { get; set; } = 62;
    public uint Flags { get; set; }
    public int PageSize { get; set; } = 4096;
    /// <summary>Lay out like QEMU 7.2: section headers at 64, program headers after them, e_ehsize 8.</summary>
    public bool QemuLayout { get; set; }
    /// <summary>Force PN_XNUM even for few program headers.</summary>
    public bool ForcePnXnum { get; set; }

    private readonly List<(string Name, uint Type, byte[] Desc)> _notes = new();
    private readonly List<Load> _loads = new();

    public sealed record Load(ulong Paddr, ulong Vaddr, byte[] Data, ulong MemSize);

    public ElfCoreBuilder Note(string name, uint type, byte[] desc) { _notes.Add((name, type, desc)); return this; }

    public ElfCoreBuilder VmcoreInfo(string text) => Note("VMCOREINFO", 0, Encoding.ASCII.GetBytes(text));

    public ElfCoreBuilder PrStatus(int pid, ulong ip = 0)
    {
        // sizeof(struct elf_prstatus) and the program counter's index in pr_reg: ppc64 nip, aarch64 pc, x86_64 rip.
        var d = new byte[Machine switch { 21 => 504, 183 => 392, _ => 336 }];
        Endian.W32(d.AsSpan(32), (uint)pid, Order);
        int ipIndex = Machine is 21 or 183 ? 32 : 16;
        if (d.Length >= 112 + 8 * (ipIndex + 1)) Endian.W64(d.AsSpan(112 + 8 * ipIndex), ip, Order);
        return Note("CORE", 1, d);
    }

    public ElfCoreBuilder AddLoad(ulong paddr, byte[] data, ulong? memSize = null, ulong? vaddr = null)
    {
        _loads.Add(new Load(paddr, vaddr ?? paddr, data, memSize ?? (ulong)data.Length));
        return this;
    }

    public byte[] NoteBlob()
    {
        var ms = new MemoryStream();
        foreach (var (name, type, desc) in _notes)
        {
            var n = Encoding.ASCII.GetBytes(name + "\0");
            var h = new byte[12];
            Endian.W32(h, (uint)n.Length, Order);
            Endian.W32(h.AsSpan(4), (uint)desc.Length, Order);
            Endian.W32(h.AsSpan(8), type, Order);
            ms.Write(h);
            ms.Write(n); ms.Write(new byte[(4 - n.Length % 4) % 4]);
            ms.Write(desc); ms.Write(new byte[(4 - desc.Length % 4) % 4]);
        }
        return ms.ToArray();
    }

    public byte[] Build()
    {
        int ehdr = Is64 ? 64 : 52, phsz = Is64 ? 56 : 32, shsz = Is64 ? 64 : 40;
        int phnum = 1 + _loads.Count;
        bool xnum = ForcePnXnum || phnum >= 0xFFFF;
        int shnum = QemuLayout ? 2 : xnum ? 1 : 0;
        long shoff = shnum > 0 ? ehdr : 0;
        long phoff = ehdr + shnum * shsz;
        var notes = NoteBlob();
        long noteOff = phoff + (long)phnum * phsz;
        long dataOff = (noteOff + notes.Length + PageSize - 1) / PageSize * PageSize;
        long total = dataOff + _loads.Sum(l => (long)l.Data.Length);
        var f = new byte[total];
        var s = f.AsSpan();
        s[0] = 0x7F; s[1] = (byte)'E'; s[2] = (byte)'L'; s[3] = (byte)'F';
        s[4] = Is64 ? (byte)2 : (byte)1;
        s[5] = Order == ByteOrder.Big ? (byte)2 : (byte)1;
        s[6] = 1;
        Endian.W16(s[16..], 4, Order);
        Endian.W16(s[18..], Machine, Order);
        Endian.W32(s[20..], 1, Order);
        ushort ehsizeField = QemuLayout ? (ushort)8 : (ushort)ehdr;
        ushort phnumField = xnum ? (ushort)0xFFFF : (ushort)phnum;
        if (Is64)
        {
            Endian.W64(s[32..], (ulong)phoff, Order);
            Endian.W64(s[40..], (ulong)shoff, Order);
            Endian.W32(s[48..], Flags, Order);
            Endian.W16(s[52..], ehsizeField, Order);
            Endian.W16(s[54..], (ushort)phsz, Order);
            Endian.W16(s[56..], phnumField, Order);
            Endian.W16(s[58..], shnum > 0 ? (ushort)shsz : (ushort)0, Order);
            Endian.W16(s[60..], (ushort)shnum, Order);
            Endian.W16(s[62..], QemuLayout ? (ushort)1 : (ushort)0, Order);
        }
        else
        {
            Endian.W32(s[28..], (uint)phoff, Order);
            Endian.W32(s[32..], (uint)shoff, Order);
            Endian.W32(s[36..], Flags, Order);
            Endian.W16(s[40..], ehsizeField, Order);
            Endian.W16(s[42..], (ushort)phsz, Order);
            Endian.W16(s[44..], phnumField, Order);
            Endian.W16(s[46..], shnum > 0 ? (ushort)shsz : (ushort)0, Order);
            Endian.W16(s[48..], (ushort)shnum, Order);
        }
        if (xnum)
            Endian.W32(s[(int)(shoff + (Is64 ? 44 : 28))..], (uint)phnum, Order);
        long at = phoff;
        void Ph(uint type, ulong off, ulong va, ulong pa, ulong filesz, ulong memsz)
        {
            var p = f.AsSpan((int)at, phsz);
            if (Is64)
            {
                Endian.W32(p, type, Order); Endian.W32(p[4..], 7, Order);
                Endian.W64(p[8..], off, Order); Endian.W64(p[16..], va, Order); Endian.W64(p[24..], pa, Order);
                Endian.W64(p[32..], filesz, Order); Endian.W64(p[40..], memsz, Order);
            }
            else
            {
                Endian.W32(p, type, Order); Endian.W32(p[4..], (uint)off, Order); Endian.W32(p[8..], (uint)va, Order);
                Endian.W32(p[12..], (uint)pa, Order); Endian.W32(p[16..], (uint)filesz, Order); Endian.W32(p[20..], (uint)memsz, Order);
                Endian.W32(p[24..], 7, Order);
            }
            at += phsz;
        }
        Ph(ElfLayout.PT_NOTE, (ulong)noteOff, 0, 0, (ulong)notes.Length, (ulong)notes.Length);
        notes.CopyTo(s[(int)noteOff..]);
        long d = dataOff;
        foreach (var l in _loads)
        {
            Ph(ElfLayout.PT_LOAD, (ulong)d, l.Vaddr, l.Paddr, (ulong)l.Data.Length, l.MemSize);
            l.Data.CopyTo(s[(int)d..]);
            d += l.Data.Length;
        }
        return f;
    }

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, Build());
        return path;
    }
}
