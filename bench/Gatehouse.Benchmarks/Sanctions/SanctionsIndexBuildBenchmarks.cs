using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// Building the screening index from every loaded list (<see cref="SanctionsListFiles"/>), as a list
/// import or a restart does. The baseline normalises every name and nothing more, the part of a
/// build no index can skip. Setup prints the memory the entries and the built index hold.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SanctionsIndexBuildBenchmarks
{
    private List<SanctionsEntry> _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = GC.GetTotalMemory(forceFullCollection: true);
        using (var data = new SanctionsListFiles())
        {
            _entries = data.Read();
        }
        var withEntries = GC.GetTotalMemory(forceFullCollection: true);
        var index = SanctionsIndex.Build(_entries);
        var withIndex = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// Sanctions memory: {index.EntryCount:N0} entries, {index.NameCount:N0} names; entries {Mb(withEntries - start)}, index on top {Mb(withIndex - withEntries)}");
        GC.KeepAlive(index);
    }

    private static string Mb(long bytes) => $"{bytes / 1_048_576.0:F1} MB";

    [Benchmark(Baseline = true)]
    public int NormaliseEveryName()
    {
        var words = 0;
        foreach (var entry in _entries)
        {
            foreach (var name in entry.Names)
            {
                words += NameNormalizer.Analyze(name).Tokens.Length;
            }
        }
        return words;
    }

    [Benchmark]
    public SanctionsIndex Build() => SanctionsIndex.Build(_entries);
}
