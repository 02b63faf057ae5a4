using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>The one malformed-input exception: file, offset, field by its C name, value, problem.</summary>
public sealed class DumpFormatExceptionTests
{
    [Fact]
    public void Message_InTheStyleOfGoDebugElf()
    {
        var ex = new DumpFormatException("vmcore", 0x1A8, "p_filesz", "0x40000000", "runs past end of file (0x2000)");
        Assert.Equal("vmcore: p_filesz at 0x1A8: value 0x40000000 runs past end of file (0x2000)", ex.Message);
        Assert.Equal("e_phnum at 0x38: value 0x0 is zero", DumpFormatException.Field(0x38, "e_phnum", 0, "is zero").Message);
        Assert.Equal("page data at 0x0 is corrupt", DumpFormatException.Field(0, "page data", "is corrupt").Message);
    }

    [Fact]
    public void WithFile_AttachedOnceKeepingFieldAndPfn()
    {
        var ex = DumpFormatException.Field(16, "e_type", 2, "is not ET_CORE");
        var bare = new DumpFormatException(null, 16, "e_type", "0x2", "is not ET_CORE") { Pfn = 7 };
        var named = bare.WithFile("a.elf");
        Assert.Equal("a.elf", named.FilePath);
        Assert.Equal((16L, "e_type", "0x2", 7UL), (named.Offset, named.FieldName, named.Value, named.Pfn));
        Assert.Same(bare, named.InnerException);
        Assert.Same(named, named.WithFile("b.elf"));
        Assert.StartsWith("a.elf: e_type at 0x10", named.Message);
        Assert.Null(ex.FilePath);
    }
}
