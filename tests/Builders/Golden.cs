using Xunit;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// Our small golden-file helper (Verify.Xunit cannot be restored here): compares text or bytes
/// with a committed file; HVDUMP_REGENERATE=1 rewrites the file instead, for a commit that says why.
/// </summary>
public static class Golden
{
    public static bool Regenerate => Environment.GetEnvironmentVariable("HVDUMP_REGENERATE") == "1";

    public static void Text(string path, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        if (Regenerate) { File.WriteAllText(path, actual); return; }
        Assert.True(File.Exists(path), $"golden {path} missing; run with HVDUMP_REGENERATE=1");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(path + ".actual", actual);
            Assert.Fail($"{path} differs from the output (written to {path}.actual)");
        }
    }

    public static void Bytes(string path, byte[] actual)
    {
        if (Regenerate) { File.WriteAllBytes(path, actual); return; }
        Assert.True(File.Exists(path), $"golden {path} missing; run with HVDUMP_REGENERATE=1");
        Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(actual), $"{path} differs from what the builder makes");
    }
}
