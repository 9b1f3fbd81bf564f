using BenchmarkDotNet.Running;

namespace Gatehouse.Benchmarks;

// A named class rather than top-level statements: the host's own top-level Program is visible
// here through InternalsVisibleTo, and two global Program types would clash.
internal static class Program
{
    /// <summary>One entry point for every benchmark class; choose with --filter, e.g. --filter '*Resolver*'.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
