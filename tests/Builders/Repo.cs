namespace HvDumpKit.Tests.Builders;

/// <summary>Paths inside the repository (testdata, shared tools) from the test binary's location.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HvDumpKit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HvDumpKit.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TestData(params string[] parts) => Path.Combine([Root, "testdata", .. parts]);
    public static string Shared(params string[] parts) => Path.Combine([Root, "..", "shared", .. parts]);
}
