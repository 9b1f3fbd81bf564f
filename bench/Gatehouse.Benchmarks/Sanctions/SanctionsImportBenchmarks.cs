using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Benchmarks.Sanctions;

/// <summary>
/// A whole import of every loaded list as the gateway does it, into a fresh SQLite database each
/// time: read the published files, plan each version against what is stored, store it in one
/// transaction per list, then build the screening index over everything. The target is ≤ 2 s.
/// The baseline is reading the files alone, so the ratio shows what storing and indexing add.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class SanctionsImportBenchmarks
{
    private SanctionsListFiles _files = null!;
    private string _folder = "";
    private SqliteStore _store = null!;

    [GlobalSetup]
    public void Setup() => _files = new SanctionsListFiles();

    [GlobalCleanup]
    public void Cleanup() => _files.Dispose();

    [IterationSetup]
    public void FreshDatabase()
    {
        _folder = Directory.CreateTempSubdirectory("gatehouse-bench-import-").FullName;
        _store = new SqliteStore(Path.Combine(_folder, "gatehouse.db"));
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void RemoveDatabase()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int ReadFiles() => _files.Paths.SelectMany(path => SanctionsFiles.Read(path)).Sum(list => list.Entries.Count);

    [Benchmark]
    public async Task<int> ReadStoreAndIndex()
    {
        var data = SanctionsData.Empty;
        foreach (var list in _files.Paths.SelectMany(path => SanctionsFiles.Read(path)))
        {
            var import = SanctionsImport.Plan(list, data, "bench", TimeProvider.System.GetUtcNow());
            await _store.SaveSanctionsImportAsync(import, CancellationToken.None);
            data = data.Apply(import);
        }
        return SanctionsIndex.Build(data.Entries).EntryCount;
    }
}
