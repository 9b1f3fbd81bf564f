using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// Reading every list from its files with <see cref="SanctionsFiles.Read"/>. The baseline reads the
/// same files' bytes and nothing more.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SanctionsFilesReadBenchmarks
{
    private SanctionsListFiles _data = null!;

    [GlobalSetup]
    public void Setup() => _data = new SanctionsListFiles();

    [GlobalCleanup]
    public void Cleanup() => _data.Dispose();

    [Benchmark(Baseline = true)]
    public long ReadBytes() => _data.Files.Sum(file => (long)File.ReadAllBytes(file).Length);

    [Benchmark]
    public int Read() => _data.Read().Count;
}
