namespace HvDumpKit.Reader;

/// <summary>
/// The one exception type for malformed input. It names the file, the byte offset where the
/// bad field lives, the field by its C name, and the value, in the style of Go's debug/elf
/// FormatError: "p_filesz at 0x1A8: value 0x40000000 runs past end of file (0x2000)".
/// </summary>
public sealed class DumpFormatException : Exception
{
    public string? FilePath { get; }
    public long Offset { get; }
    public string FieldName { get; }
    public string? Value { get; }
    public string Problem { get; }
    /// <summary>The page frame whose data is malformed (a page that does not decode), else null.</summary>
    public ulong? Pfn { get; init; }

    public DumpFormatException(string? filePath, long offset, string field, string? value, string problem, Exception? inner = null)
        : base(Compose(filePath, offset, field, value, problem), inner)
    {
        FilePath = filePath;
        Offset = offset;
        FieldName = field;
        Value = value;
        Problem = problem;
    }

    public static DumpFormatException Field(long offset, string field, ulong value, string problem) =>
        new(null, offset, field, $"0x{value:X}", problem);

    public static DumpFormatException Field(long offset, string field, string problem) =>
        new(null, offset, field, null, problem);

    /// <summary>Attach the file name once the error reaches the layer that knows it.</summary>
    public DumpFormatException WithFile(string path) =>
        FilePath is not null ? this : new DumpFormatException(path, Offset, FieldName, Value, Problem, this) { Pfn = Pfn };

    private static string Compose(string? file, long offset, string field, string? value, string problem)
    {
        string where = file is null ? "" : file + ": ";
        string val = value is null ? "" : $": value {value}";
        return $"{where}{field} at 0x{offset:X}{val} {problem}";
    }
}
