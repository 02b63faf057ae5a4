using HvDumpKit.Reader.Arch.Arm64;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Arch.X86_64;

namespace HvDumpKit.Reader.Arch;

/// <summary>The one list of machines whose dumps are read beyond their pages: one line per machine.</summary>
public static class Architectures
{
    public static readonly IReadOnlyList<IArchitecture> All =
    [
        X86_64Architecture.Instance,
        Ppc64Architecture.Instance,
        Arm64Architecture.Instance,
    ];

    private static readonly Dictionary<Machine, IArchitecture> ByMachine = All.ToDictionary(a => a.Machine);

    /// <summary>The architecture of e_machine m, or null for a machine not listed.</summary>
    public static IArchitecture? For(Machine m) => ByMachine.GetValueOrDefault(m);
}
