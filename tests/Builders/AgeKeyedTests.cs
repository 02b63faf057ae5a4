namespace HvDumpKit.Tests.Builders;

/// <summary>
/// The base of the age command-line test classes (EncryptionCommandTests, DecryptVerbTests, KeygenVerbTests): an
/// AgeKeyedDir per test, with its folder, identity file and recipient under the names those tests use.
/// </summary>
public abstract class AgeKeyedTests : IDisposable
{
    protected readonly AgeKeyedDir _age = new();
    protected readonly TempDir _dir;
    protected readonly string _key, _recipient;

    protected AgeKeyedTests()
    {
        _dir = _age.Dir;
        _key = _age.Key;
        _recipient = _age.Recipient;
    }

    public void Dispose()
    {
        _age.Dispose();
        GC.SuppressFinalize(this);
    }
}
