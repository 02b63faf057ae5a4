namespace HvDumpKit.Reader.Regions;

/// <summary>A line of fadump_region that is not a dump area, kept as written (trimmed): 1-based line number and text.</summary>
public sealed record RegionMapLine(int Line, string Text);
