using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump info DUMP [--region-map FILE] [--json]`: one description, rendered as text or JSON.</summary>
public static class InfoVerb
{
    public static int Run(InfoOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        using var src = DumpProbe.Open(o.Dump, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        RegionMap? map = o.RegionMap is null ? null : RegionMap.ParseFile(o.RegionMap);
        var description = DumpDescription.Of(src, map);
        if (o.Json) DescriptionJson.Write(description, stdout);
        else DescriptionText.Write(description, stdout);
        return ExitCodes.Ok;
    }
}
