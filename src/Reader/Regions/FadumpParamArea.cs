namespace HvDumpKit.Reader.Regions;

/// <summary>
/// FADump's parameter area (RTAS_FADUMP_PARAM_AREA, 6.10+): the bootargs_append text the capture
/// boot adds to its command line, kept in reserved memory at [Address, Address + Size). It holds no
/// dumped memory, so it is not one of the map's regions.
/// </summary>
public sealed record FadumpParamArea(ulong Address, ulong Size, string CmdlineAppend, int Line);
