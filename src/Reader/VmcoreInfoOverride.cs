using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>A source read with another VMCOREINFO (makedumpfile -i FILE): everything else is the inner source's.</summary>
public sealed class VmcoreInfoOverride(IDumpSource inner, VmcoreInfo info) : DumpSourceDecorator(inner, ownsInner: true)
{
    public override DumpHeader Header => info.PageSize is int ps && ps != Inner.Header.PageSize ? Inner.Header with { PageSize = ps } : Inner.Header;
    public override VmcoreInfo? VmcoreInfo => info;
}
