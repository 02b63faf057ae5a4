#:project ../tests/HvDumpKit.Tests.csproj
// Writes the synthetic sparse ELF vmcore the memory-bound test uses (tests/Builders/SparseVmcore):
// one PT_LOAD of N GiB over a sparse file with a minimal kernel layout, for bench/compare.sh's
// scaling rows.  usage: dotnet run bench/make-sparse.cs -- OUT GIB
using HvDumpKit.Tests.Builders;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

if (args.Length != 2 || !int.TryParse(args[1], out int gib)) { Console.Error.WriteLine("usage: make-sparse.cs OUT GIB"); return 2; }
Console.WriteLine(SparseVmcore.Create(args[0], gib));
return 0;
