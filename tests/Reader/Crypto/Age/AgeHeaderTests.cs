using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>An age header's stanzas and MAC (age spec §Header), encoded and checked.</summary>
public sealed class AgeHeaderTests
{
    private static readonly byte[] FileKey = Enumerable.Range(0, 16).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void Encode_VersionLineStanzasBodyAt64ColumnsThenMac()
    {
        var body = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray(); // 64 base64 columns exactly
        var text = System.Text.Encoding.ASCII.GetString(AgeHeader.Encode([new AgeStanza("test", ["a", "b"], body, -1)], FileKey));
        var lines = text.Split('\n');
        Assert.Equal("age-encryption.org/v1", lines[0]);
        Assert.Equal("-> test a b", lines[1]);
        Assert.Equal(AgeBase64.Encode(body), lines[2]);
        Assert.Equal("", lines[3]); // a full last line is followed by an empty one
        Assert.StartsWith("--- ", lines[4]);
        Assert.Equal(4 + 43, lines[4].Length); // HMAC-SHA-256 in unpadded base64
        Assert.Equal("", lines[5]);
    }

    [Fact]
    public void MacMatches_OnlyUnderItsFileKey()
    {
        var bytes = AgeHeader.Encode([new AgeStanza("test", [], [1, 2, 3], -1)], FileKey);
        var h = AgeHeaderReader.Parse(bytes, "h");
        Assert.True(h.MacMatches(FileKey));
        Assert.False(h.MacMatches(new byte[16]));
        Assert.Equal("1 test", h.DescribeRecipients());
    }

    [Fact]
    public void DescribeRecipients_CountsByType()
    {
        var h = new AgeHeader(
            [new AgeStanza("X25519", ["x"], [], 0), new AgeStanza("scrypt", ["s", "10"], [], 0), new AgeStanza("X25519", ["y"], [], 0)],
            new byte[32], [], 0);
        Assert.Equal("2 X25519, 1 scrypt", h.DescribeRecipients());
        Assert.Equal("no recipient stanzas", new AgeHeader([], new byte[32], [], 0).DescribeRecipients());
    }
}
