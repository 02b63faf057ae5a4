using HvDumpKit.Reader;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Writers;

/// <summary>One output format. Writers see only IDumpSource: they never know which reader feeds them.</summary>
public interface IDumpWriter
{
    WriteSummary Write(IDumpSource source, IOutputSink sink, WriterOptions options);
}
