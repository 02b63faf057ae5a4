using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>
/// A codec that is not there is "unavailable", never a crash: the three ways a native call can find
/// nothing to call answer false; any other failure is a bug and must not be hidden as "missing".
/// </summary>
public sealed class NativeProbeTests
{
    [Fact]
    public void Works_CallReturns_True() => Assert.True(NativeProbe.Works(() => { }));

    [Fact]
    public void Works_LibraryMissing_False() =>
        Assert.False(NativeProbe.Works(() => throw new DllNotFoundException("liblzo2.so.2")));

    [Fact]
    public void Works_EntryPointMissing_False() =>
        Assert.False(NativeProbe.Works(() => throw new EntryPointNotFoundException("lzo_version")));

    [Fact]
    public void Works_WrongArchitectureLibrary_False() =>
        Assert.False(NativeProbe.Works(() => throw new BadImageFormatException("ELF class")));

    [Fact]
    public void Works_OtherFailure_Propagates() =>
        Assert.Throws<InvalidOperationException>(() => NativeProbe.Works(() => throw new InvalidOperationException("bug")));

    [Fact]
    public void Works_SystemLibraryCall_True()
    {
        // A real P/Invoke through the same path the codecs take: libc is always there.
        Assert.True(NativeProbe.Works(() => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
