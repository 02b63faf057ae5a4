using HvDumpKit.Reader;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Raw;

namespace HvDumpKit.Writers;

/// <summary>A writer bound to its sink; disposing it disposes the sink, not the target's file.</summary>
public sealed class DumpOutput(IDumpWriter writer, IOutputSink sink) : IDisposable
{
    public IDumpWriter Writer { get; } = writer;
    public IOutputSink Sink { get; } = sink;

    public WriteSummary Write(IDumpSource source, WriterOptions options) => Writer.Write(source, Sink, options);

    /// <summary>A raw image's sidecar once written (which pages the image holds), else null.</summary>
    public RawSidecar? Sidecar => (Writer as RawWriter)?.Sidecar;

    public void Dispose() => Sink.Dispose();
}
