namespace HvDumpKit.Tests.Builders;

/// <summary>The committed sample dumps under testdata/ that many tests read, and the built hvdump.</summary>
public static class Samples
{
    /// <summary>The synthetic x86_64 ELF vmcore (what SyntheticKernel.Vmcore() builds).</summary>
    public static string Elf => Repo.TestData("elf", "synth-x86_64.vmcore");

    /// <summary>The ELF sample converted to kdump-compressed, zstd, dump level 1.</summary>
    public static string Kdump => Repo.TestData("kdump", "synth-x86_64-zstd.kdump");

    /// <summary>The committed golden manifest of the ELF sample.</summary>
    public static string Manifest => Repo.TestData("elf", "synth-x86_64.manifest.json");

    /// <summary>The hvdump entry assembly next to the test binary, for tests that need a real process.</summary>
    public static string HvdumpDll => Path.Combine(AppContext.BaseDirectory, "hvdump.dll");
}
