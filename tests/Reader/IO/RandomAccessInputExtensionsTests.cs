using HvDumpKit.Reader;
using HvDumpKit.Reader.IO;
using Xunit;

namespace HvDumpKit.Tests.Reader.IO;

/// <summary>ReadExactly: the whole buffer, or a format error naming the field, its offset and where the file ends.</summary>
public sealed class RandomAccessInputExtensionsTests
{
    [Fact]
    public void ReadExactly_AllThere_FillsTheBuffer()
    {
        using var input = new MemoryInput([1, 2, 3, 4, 5, 6], "/x/dump");
        var b = new byte[3];
        input.ReadExactly(2, b, "e_phoff");
        Assert.Equal(new byte[] { 3, 4, 5 }, b);
    }

    [Fact]
    public void ReadExactly_PastTheEnd_TruncatedNamingFieldAndOffset()
    {
        using var input = new MemoryInput([1, 2, 3, 4, 5, 6], "/x/dump");
        var ex = Assert.Throws<DumpFormatException>(() => input.ReadExactly(4, new byte[8], "Elf64_Phdr"));
        Assert.Equal(("/x/dump", 4L, "Elf64_Phdr", "is truncated: needs 8 bytes, file ends at 0x6"),
            (ex.FilePath, ex.Offset, ex.FieldName, ex.Problem));
    }
}
