using HvDumpKit.Fuzz;
using SharpFuzz;

// afl-fuzz entry: `hvdump-fuzz TARGET` runs one target under afl (instrumented assemblies, out of
// process so a crash of the target is afl's crash); `hvdump-fuzz TARGET --replay FILE...` runs
// inputs once, outside afl, to reproduce a finding.
if (args.Length == 2 && args[0] == "--make-seeds")
{
    Seeds.Write(args[1]);
    return 0;
}
if (args.Length < 1 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: hvdump-fuzz {string.Join('|', FuzzTargets.Names)} [--replay FILE...]");
    return 2;
}
string target = args[0];
if (args.Length > 1 && args[1] == "--replay")
{
    foreach (var f in args[2..]) FuzzTargets.Run(target, File.ReadAllBytes(f));
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var ms = new MemoryStream();
    stream.CopyTo(ms);
    FuzzTargets.Run(target, ms.ToArray());
});
return 0;
