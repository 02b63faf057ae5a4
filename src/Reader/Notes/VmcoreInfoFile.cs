namespace HvDumpKit.Reader.Notes;

/// <summary>
/// VMCOREINFO supplied beside a dump that lacks it (makedumpfile -i; QEMU's pseries dumps): the
/// text makedumpfile -g writes, or the ELF note as the kernel keeps it in memory (the note's own
/// header tells its byte order).
/// </summary>
public static class VmcoreInfoFile
{
    /// <summary>The --vmcoreinfo / -i option: null when it was not given.</summary>
    public static VmcoreInfo? LoadOptional(string? path) => path is null ? null : Load(path);

    public static VmcoreInfo Load(string path, DumpLimits? limits = null)
    {
        limits ??= DumpLimits.Default;
        byte[] bytes;
        try
        {
            using var fs = File.OpenRead(path);
            if (fs.Length > limits.MaxVmcoreInfoBytes + 64)
                throw new DumpFormatException(path, 0, "VMCOREINFO", fs.Length.ToString(),
                    $"is larger than the {limits.MaxVmcoreInfoBytes}-byte limit");
            bytes = new byte[fs.Length];
            fs.ReadExactly(bytes);
        }
        catch (IOException ex) { throw new DumpFormatException(path, 0, "VMCOREINFO", null, ex.Message); }
        catch (UnauthorizedAccessException ex) { throw new DumpFormatException(path, 0, "VMCOREINFO", null, ex.Message); }
        if (bytes.Length >= 24 && bytes.AsSpan(12, 10).SequenceEqual("VMCOREINFO"u8))
        {
            var order = Endian.U32(bytes, ByteOrder.Little) == 11 ? ByteOrder.Little : ByteOrder.Big;
            uint namesz = Endian.U32(bytes, order), descsz = Endian.U32(bytes.AsSpan(4), order);
            long descAt = 12 + ((namesz + 3) & ~3u);
            if (namesz != 11 || descAt + descsz > bytes.Length)
                throw new DumpFormatException(path, 4, "VMCOREINFO n_descsz", descsz.ToString(),
                    $"runs past the end of the file (0x{bytes.Length:X} bytes)");
            return VmcoreInfo.FromBytes(bytes.AsSpan((int)descAt, (int)descsz));
        }
        var info = VmcoreInfo.FromBytes(bytes);
        if (info.Count == 0) throw new DumpFormatException(path, 0, "VMCOREINFO", null, "holds no KEY=VALUE lines");
        return info;
    }
}
