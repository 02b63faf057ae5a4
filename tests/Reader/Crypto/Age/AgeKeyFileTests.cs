using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>Identity and recipients files as age-keygen writes them: comments, blank lines, one key a line.</summary>
public sealed class AgeKeyFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Write(string text)
    {
        var p = _dir.File("keys.txt");
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void ReadIdentities_KeygenShape_SkipsCommentsAndBlanks()
    {
        var id = AgeX25519Identity.Generate();
        var path = Write($"# created: 2026-01-01T00:00:00Z\n# public key: {id.Recipient}\n{id.Encode()}\r\n\n");
        var ids = AgeKeyFile.ReadIdentities(path);
        Assert.Equal(id.Recipient.ToString(), Assert.Single(ids).Recipient.ToString());
    }

    [Fact]
    public void ReadIdentities_BadLine_NamesLineAndOffsetNeverTheText()
    {
        var id = AgeX25519Identity.Generate();
        var path = Write($"# comment\n{id.Encode()}\nAGE-SECRET-KEY-1TYPO\n");
        var ex = Assert.Throws<DumpFormatException>(() => AgeKeyFile.ReadIdentities(path));
        Assert.Equal("identity (line 3)", ex.FieldName);
        Assert.Equal(10 + id.Encode().Length + 1, ex.Offset);
        Assert.DoesNotContain("TYPO", ex.Message);
    }

    [Fact]
    public void ReadRecipients_OnlyComments_HoldsNone()
    {
        var ex = Assert.Throws<DumpFormatException>(() => AgeKeyFile.ReadRecipients(Write("# nobody\n\n")));
        Assert.Contains("file holds no recipient", ex.Message);
    }
}
