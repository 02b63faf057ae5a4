using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers.Release;

namespace HvDumpKit.Capture;

/// <summary>
/// Where a save finds the region map and gives memory back: phyp dump's release_region, FADump's
/// debugfs region map with its all-at-once release_mem, or nowhere. Adding a release target is a
/// sink under Writers/Release and a line in <see cref="Create"/>.
/// </summary>
public static class ReleaseTargets
{
    public const string ReleaseRegion = "/sys/kernel/release_region";
    public const string FadumpRegion = "/sys/kernel/debug/powerpc/fadump_region";
    public const string FadumpReleaseMem = "/sys/kernel/fadump/release_mem";

    /// <summary>The region map to read: the one given, else release_region, else FADump's, else none.</summary>
    public static string? RegionMapPath(string? given) =>
        given ?? (File.Exists(ReleaseRegion) ? ReleaseRegion : File.Exists(FadumpRegion) ? FadumpRegion : null);

    /// <summary>Where releases are written: the file given, else the one that goes with the region map, else none.</summary>
    public static string? ReleasePath(string? given, string? mapPath, RegionMap? map) =>
        given ?? (map?.Format == "fadump_region" ? FadumpReleaseMem : mapPath == ReleaseRegion ? ReleaseRegion : null);

    /// <summary>The release sink: recording only (no release, dry run, nowhere to write), FADump's, or per range.</summary>
    public static IReleaseSink Create(string? releasePath, RegionMap? map, bool recordOnly) =>
        recordOnly || releasePath is null ? new NoRelease(perRange: map?.Format != "fadump_region")
        : map?.Format == "fadump_region" ? new FadumpReleaseMem(releasePath)
        : new ReleaseRegionFile(releasePath);
}
