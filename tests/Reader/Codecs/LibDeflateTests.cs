using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>libdeflate, the default zlib engine when installed.</summary>
public sealed class LibDeflateTests() : ZlibEngineContract(ZlibEngine.LibDeflate, ZlibPageCodec.NativeEngines.LibDeflate);
