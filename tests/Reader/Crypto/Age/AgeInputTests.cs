using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

public sealed class AgeInputTests
{
    public static IEnumerable<object[]> Vectors() =>
        Directory.GetFiles(Repo.TestData("age", "testkit")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetFileName(f) }).OrderBy(o => (string)o[0], StringComparer.Ordinal);

    /// <summary>
    /// The C2SP age testkit (testdata/age/testkit): every X25519, stanza, header, MAC and STREAM
    /// vector ends as its `expect` says, and a success decrypts to the payload's SHA-256.
    /// </summary>
    [Theory]
    [MemberData(nameof(Vectors))]
    public void Open_TestkitVector_OutcomeAsExpected(string name)
    {
        var (fields, file) = ReadVector(Repo.TestData("age", "testkit", name));
        var identities = fields.Where(f => f.Key == "identity").Select(f =>
            AgeX25519Identity.TryParse(f.Value, out var id) ? id! : throw new InvalidDataException(f.Value)).ToList();
        string expect = fields.First(f => f.Key == "expect").Value;
        string outcome;
        byte[]? plaintext = null;
        try
        {
            using var input = AgeInput.Open(new MemoryInput(file, name), new AgeKeyring(identities));
            var all = new byte[input.Length];
            Assert.Equal(all.Length, input.ReadAt(0, all));
            (plaintext, outcome) = (all, "success");
        }
        catch (AgeIdentityException) { outcome = "no match"; }
        catch (DumpFormatException ex) when (ex.FieldName.StartsWith("age STREAM",
            StringComparison.Ordinal))
        { outcome = "payload failure"; }
        catch (DumpFormatException ex) when (ex.Problem.StartsWith("does not verify",
            StringComparison.Ordinal))
        { outcome = "HMAC failure"; }
        catch (DumpFormatException) { outcome = "header failure"; }
        Assert.Equal(expect, outcome);
        if (plaintext is not null)
            Assert.Equal(fields.First(f => f.Key == "payload").Value, System.Convert.ToHexStringLower(SHA256.HashData(plaintext)));
    }

    private static (List<KeyValuePair<string, string>> Fields, byte[] File) ReadVector(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int split = bytes.AsSpan().IndexOf("\n\n"u8);
        var fields = Encoding.UTF8.GetString(bytes, 0, split).Split('\n')
            .Select(l => l.Split(": ", 2)).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();
        var body = bytes[(split + 2)..];
        if (fields.Any(f => f.Key == "compressed" && f.Value == "zlib"))
        {
            using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            z.CopyTo(ms);
            body = ms.ToArray();
        }
        return (fields, body);
    }

    [Fact]
    public void ReadAt_AnyOffsetAndLength_MatchesPlaintext()
    {
        var id = AgeX25519Identity.Generate();
        var plain = new byte[5 * AgeLayout.ChunkSize + 123];
        new Random(7).NextBytes(plain);
        var file = AgeTestFiles.Encrypt(plain, id.Recipient);
        using var input = AgeInput.Open(new MemoryInput(file), new AgeKeyring([id]));
        Assert.Equal(plain.Length, input.Length);
        var rng = new Random(9);
        for (int i = 0; i < 200; i++)
        {
            int at = rng.Next(plain.Length), len = rng.Next(1, 3 * AgeLayout.ChunkSize);
            var buf = new byte[len];
            int n = input.ReadAt(at, buf);
            Assert.Equal(Math.Min(len, plain.Length - at), n);
            Assert.True(plain.AsSpan(at, n).SequenceEqual(buf.AsSpan(0, n)));
        }
    }

    [Fact]
    public void Open_TamperedChunk_FailsOnReadNamingChunkAndPlaintextOffset()
    {
        var id = AgeX25519Identity.Generate();
        var plain = new byte[4 * AgeLayout.ChunkSize + 10];
        var file = AgeTestFiles.Encrypt(plain, id.Recipient);
        long chunk2 = file.Length - (plain.Length + 5L * AgeLayout.TagSize) + 2L * AgeLayout.SealedChunkSize;
        file[chunk2 + 100] ^= 1;
        using var input = AgeInput.Open(new MemoryInput(file, "t.age"), new AgeKeyring([id]));
        var buf = new byte[100];
        input.ReadAt(0, buf); // chunk 0 still opens alone
        var ex = Assert.Throws<DumpFormatException>(() => input.ReadAt(2L * AgeLayout.ChunkSize + 5, buf));
        Assert.Equal("age STREAM chunk 2", ex.FieldName);
        Assert.Equal(chunk2, ex.Offset);
        Assert.Contains("plaintext offset 0x20000", ex.Message);
    }

    [Fact]
    public void Open_CutOnChunkBoundary_Truncated()
    {
        var id = AgeX25519Identity.Generate();
        var file = AgeTestFiles.Encrypt(new byte[3 * AgeLayout.ChunkSize + 10], id.Recipient);
        var cut = file.AsSpan(0, file.Length - (10 + AgeLayout.TagSize)).ToArray();
        var ex = Assert.Throws<DumpFormatException>(() => AgeInput.Open(new MemoryInput(cut, "cut.age"), new AgeKeyring([id])));
        Assert.Contains("is truncated", ex.Message);
        using var partial = AgeInput.Open(new MemoryInput(cut, "cut.age"), new AgeKeyring([id]), allowTruncated: true);
        Assert.True(partial.IsTruncated);
        Assert.Equal(3L * AgeLayout.ChunkSize, partial.Length);
    }

    [Fact]
    public void Open_WrongIdentity_NoIdentityMatches()
    {
        var file = AgeTestFiles.Encrypt([1, 2, 3], AgeX25519Identity.Generate().Recipient);
        var ex = Assert.Throws<AgeIdentityException>(() => AgeInput.Open(new MemoryInput(file, "d.age"),
            new AgeKeyring([AgeX25519Identity.Generate()])));
        Assert.Equal("no identity matches any recipient of d.age", ex.Message);
    }

    [Fact]
    public void Open_NoKeys_SaysWhatItIs()
    {
        var file = AgeTestFiles.Encrypt([1], AgeX25519Identity.Generate().Recipient, AgeX25519Identity.Generate().Recipient);
        var ex = Assert.Throws<AgeIdentityException>(() => AgeInput.Open(new MemoryInput(file, "d.age"), null));
        Assert.Contains("age-encrypted", ex.Message);
        Assert.Contains("2 X25519", ex.Message);
    }

    [Fact]
    public void OpenIfEncrypted_PlainInput_ReturnedAsIs()
    {
        var plain = new MemoryInput([0x7f, (byte)'E', (byte)'L', (byte)'F']);
        Assert.Same(plain, AgeInput.OpenIfEncrypted(plain));
    }
}
