using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>Debian's libz.so.1 with a reused stream: makedumpfile's exact bytes.</summary>
public sealed class NativeZlibTests() : ZlibEngineContract(ZlibEngine.SystemZlib, ZlibPageCodec.NativeEngines.SystemZlib);
