using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.Flattened;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Raw;

namespace HvDumpKit.Reader;

/// <summary>Says what a file is and opens the matching reader (libkdumpfile's formats[] loop).</summary>
public static class DumpProbe
{
    /// <summary>The format of a file by its first bytes; Raw when only a sidecar identifies it.</summary>
    public static DumpFormat Identify(string path)
    {
        Span<byte> head = stackalloc byte[16];
        head.Clear();
        using (var input = AgeInput.OpenIfEncrypted(new PlainFileInput(path)))
            input.ReadAt(0, head);
        if (FlattenedLayout.HasSignature(head)) return DumpFormat.Flattened;
        if (KdumpHeaderReader.HasSignature(head)) return DumpFormat.Kdump;
        if (ElfHeaderReader.HasElfMagic(head)) return DumpFormat.Elf;
        if (RawDumpSource.HasSidecar(path)) return DumpFormat.Raw;
        return DumpFormat.Unknown;
    }

    /// <param name="vmcoreInfo">VMCOREINFO from elsewhere (makedumpfile -i, a pseries dump's recovered note): used instead of the dump's
    /// own</param>
    public static IDumpSource Open(string path, DumpLimits? limits = null, VmcoreInfo? vmcoreInfo = null)
    {
        var format = Identify(path);
        return Open(AgeInput.OpenIfEncrypted(new PlainFileInput(path)), format, limits, vmcoreInfo);
    }

    /// <summary>
    /// Opens a dump to convert: a file whose page data was cut short is refused with the error
    /// naming the PT_LOAD (info, verify and dmesg read what is there; a conversion would present
    /// missing pages as data).
    /// </summary>
    public static IDumpSource OpenWhole(string path, DumpLimits? limits = null, VmcoreInfo? vmcoreInfo = null)
    {
        var d = Open(path, limits, vmcoreInfo);
        if (d.Facts.Elf is { Truncation: { } t })
        {
            d.Dispose();
            throw t;
        }
        return d;
    }

    /// <summary>Opens an input by its first bytes (no raw images: those need a sidecar file).</summary>
    public static IDumpSource Open(IRandomAccessInput input, DumpLimits? limits = null)
    {
        Span<byte> head = stackalloc byte[16];
        head.Clear();
        input.ReadAt(0, head);
        var format = FlattenedLayout.HasSignature(head) ? DumpFormat.Flattened
            : KdumpHeaderReader.HasSignature(head) ? DumpFormat.Kdump
            : ElfHeaderReader.HasElfMagic(head) ? DumpFormat.Elf : DumpFormat.Unknown;
        return Open(input, format, limits);
    }

    private static IDumpSource Open(IRandomAccessInput input, DumpFormat format, DumpLimits? limits, VmcoreInfo? vmcoreInfo = null)
    {
        // An ELF takes its page size from VMCOREINFO, so it is read with the supplied one from the
        // start; the other formats state their page size and only see VMCOREINFO replaced.
        IDumpSource Supplied(IDumpSource d) => vmcoreInfo is null ? d : new VmcoreInfoOverride(d, vmcoreInfo);
        limits ??= DumpLimits.Default;
        string path = input.Path;
        try
        {
            switch (format)
            {
                case DumpFormat.Elf: return ElfDumpSource.Open(input, limits, vmcoreInfo);
                case DumpFormat.Kdump: return Supplied(KdumpDumpSource.Open(input, limits));
                case DumpFormat.Raw: return Supplied(RawDumpSource.Open(input, limits));
                case DumpFormat.Flattened:
                    {
                        var flat = FlattenedInput.Open(input, limits);
                        Span<byte> inner = stackalloc byte[16];
                        inner.Clear();
                        flat.ReadAt(0, inner);
                        if (KdumpHeaderReader.HasSignature(inner)) return
                            Supplied(KdumpDumpSource.Open(flat, limits, DumpFormat.Flattened));
                        if (ElfHeaderReader.HasElfMagic(inner)) return ElfDumpSource.Open(flat, limits, vmcoreInfo);
                        throw new DumpFormatException(path, 0, "flattened payload", null,
                            "holds neither a kdump-compressed nor an ELF dump");
                    }
                default:
                    throw new DumpFormatException(path, 0, "signature", null,
                        "is not an ELF vmcore, kdump-compressed, flattened or raw (no .json sidecar) dump");
            }
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }
}
