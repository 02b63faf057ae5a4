using System.Buffers.Binary;
using System.Text;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Fuzz;

/// <summary>Starting inputs for the targets that have no committed sample file (fuzz/run.sh copies the dumps from testdata/).</summary>
public static class Seeds
{
    public static void Write(string dir)
    {
        void Put(string target, string name, byte[] bytes)
        {
            Directory.CreateDirectory(Path.Combine(dir, target));
            File.WriteAllBytes(Path.Combine(dir, target, name), bytes);
        }
        // codecs: a text-like page and a sparse page through each codec, 4 KiB and 64 KiB.
        foreach (var (kind, tag) in new[] { (PageCompression.Zlib, 0), (PageCompression.Lzo, 1), (PageCompression.Snappy, 2), (PageCompression.Zstd, 3) })
            foreach (int size in new[] { 4096, 65536 })
            {
                var page = new byte[size];
                var text = Encoding.ASCII.GetBytes("Linux version 6.1.0 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC ");
                for (int i = 0; i < size / 2; i++) page[i] = text[i % text.Length];
                page[size - 8] = 0x5a;
                using var c = PageCodecs.CreateCompressor(kind, 1);
                var dst = new byte[PageCodecs.MaxCompressedSize(size)];
                int n = c.Compress(page, dst);
                if (n <= 0) continue;
                Put("codecs", $"{PageCodecs.Name(kind)}-{size}", [(byte)(tag | (size == 65536 ? 4 : 0)), .. dst.AsSpan(0, n)]);
            }
        Put("regionmap", "release_region", Encoding.ASCII.GetBytes("CPU:0x177fee000-0x10000: HPTE:0x177ffe020-0x1000: DUMP:0x177fff020-0x10000000, 0x10000000-0x16F1D370A:\n"));
        Put("regionmap", "fadump_region", Encoding.ASCII.GetBytes(
            "CPU :[0x00000020000000-0x000000200009ff] 0xa00 bytes, Dumped: 0xa00\n" +
            "HPTE:[0x00000020000a00-0x000000200009ff] 0x0 bytes, Dumped: 0x0\n" +
            "DUMP: Src: 0x00000000000000, Dest: 0x00000020010000, Size: 0x20000000, Dumped: 0x20000000 bytes\n\n" +
            "[0x0000007ffff800-0x0000007fffffff]: cmdline append: ''\n\n" +
            "Memory above 0x00000020000000 is reserved for saving crash dump\n"));
        Put("regionmap", "fadump_region-pre-5.7", Encoding.ASCII.GetBytes(
            "CPU : [0x0000000fd0000000-0x0000000fd000ffff] 0x10000 bytes, Dumped: 0x10000\n" +
            "HPTE: [0x0000000fd0010000-0x0000000fd0010fff] 0x1000 bytes, Dumped: 0x1000\n" +
            "DUMP: [0x0000000fd0011000-0x0000000fe0010fff] 0x10000000 bytes, Dumped: 0x10000000\n" +
            "    : [0x0000000fc0000000-0x0000000fcfffffff] 0x10000000 bytes, Dumped: 0x10000000\n"));
        Put("vmcoreinfo", "x86_64", Encoding.ASCII.GetBytes(
            "OSRELEASE=6.1.0-57-cloud-amd64\nBUILD-ID=0123456789abcdef\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=ffffffff82a1c2e0\n" +
            "SYMBOL(mem_section)=ffff888007ff6000\nLENGTH(mem_section)=2048\nSIZE(page)=64\nOFFSET(page.flags)=0\n" +
            "NUMBER(phys_base)=0\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\nKERNELOFFSET=0\nCRASHTIME=1764436550\n"));
        // regsave: two CPUs, as fadump's firmware lays them out.
        var entries = new List<(string, ulong)>();
        for (uint cpu = 0; cpu < 2; cpu++)
        {
            entries.Add(("CPUSTRT", cpu));
            for (int g = 0; g < 32; g++) entries.Add(($"GPR{g:D2}", (ulong)g));
            entries.AddRange([("NIA", 0xc000000000001234), ("MSR", 0x8000000000001033), ("LR", 1), ("CTR", 2), ("XER", 3), ("CR", 4), ("DAR", 5), ("DSISR", 6), ("CPUEND", 0)]);
        }
        var area = new byte[20 + 16 * entries.Count];
        BinaryPrimitives.WriteUInt64BigEndian(area, RegisterSaveArea.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(12), 16);
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(16), 2);
        for (int i = 0; i < entries.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(area.AsSpan(20 + 16 * i), RegisterSaveArea.Id(entries[i].Item1));
            BinaryPrimitives.WriteUInt64BigEndian(area.AsSpan(28 + 16 * i), entries[i].Item2);
        }
        Put("regsave", "two-cpus", area);
        // age: a whole file of ours, and its payload alone behind the target's fixed header.
        Put("age", "own-file", [0, .. AgeSeed()]);
        Put("age", "payload", [1, .. AgePayloadSeed()]);
    }

    /// <summary>Two chunks under the testkit file key FuzzTargets' fixed header carries ("YELLOW SUBMARINE").</summary>
    private static byte[] AgePayloadSeed()
    {
        var nonce = Enumerable.Repeat((byte)1, 16).ToArray();
        var key = new HvDumpKit.Reader.Crypto.Age.AgeStreamKey("YELLOW SUBMARINE"u8, nonce);
        var c0 = new byte[65536 + 16];
        var c1 = new byte[100 + 16];
        key.Seal(0, false, new byte[65536], c0);
        key.Seal(1, true, new byte[100], c1);
        return [.. nonce, .. c0, .. c1];
    }

    private static byte[] AgeSeed()
    {
        using var ms = new MemoryStream();
        using var sink = HvDumpKit.Writers.Output.AgeEncryptingSink.ForStream(
            new HvDumpKit.Reader.Crypto.Age.AgeRecipientSet([HvDumpKit.Reader.Crypto.Age.AgeX25519Identity.Generate().Recipient]), ms);
        sink.WriteAt(0, new byte[70000]);
        sink.Complete();
        return ms.ToArray();
    }
}
