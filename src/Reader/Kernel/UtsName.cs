namespace HvDumpKit.Reader.Kernel;

/// <summary>struct new_utsname read from init_uts_ns: six 65-byte NUL-padded fields.</summary>
public sealed record UtsName(string Sysname, string Nodename, string Release, string Version, string Machine, string Domainname)
{
    public const int FieldSize = 65;

    /// <summary>Reads init_uts_ns.name through the kernel-image mapping; null when it is not readable.</summary>
    public static UtsName? TryRead(IDumpSource source)
    {
        var vi = source.VmcoreInfo;
        var sym = vi?.Symbol("init_uts_ns");
        if (vi is null || sym is null) return null;
        long off = vi.Offset("uts_namespace.name") ?? 4; // kref precedes name on kernels that omit the key
        var buf = new byte[FieldSize * 6];
        var mem = KernelMemory.TryCreate(source, out _);
        if (mem is null || !mem.TryRead(sym.Value + (ulong)off, buf)) return null;
        string F(int i) => Kdump.KdumpHeader.Field(buf.AsSpan(i * FieldSize, FieldSize));
        var u = new UtsName(F(0), F(1), F(2), F(3), F(4), F(5));
        return u.Sysname == "Linux" ? u : null;
    }
}
