using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Benchmarks.Identity;

/// <summary>
/// Building the identity snapshot from 100,000 accounts and 300,000 keys: at start, and after
/// every admin write, which the server applies as <c>IdentitySnapshot.Build(data.Apply(change))</c>
/// (<c>IdentityState.Apply</c>). The baseline is a plain <see cref="Dictionary{TKey, TValue}"/> of
/// the keys by id, the least any index of them costs.
/// </summary>
/// <remarks>
/// One operation takes hundreds of milliseconds, so the job is fixed at 3 warm-up and 10 measured
/// iterations of one operation each in one launch. Setup prints the memory the records and one
/// built snapshot hold (a forced full collection before each reading) to the log.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class IdentitySnapshotBuildBenchmarks
{
    private IdentityData _data = IdentityData.Empty;
    private IdentityChange _suspension = new();
    private string _suspendedAccountId = "";

    [GlobalSetup]
    public void Setup()
    {
        var start = GC.GetTotalMemory(forceFullCollection: true);
        _data = IdentityFixture.Create("US", "US", "US", seed: 1);
        var withData = GC.GetTotalMemory(forceFullCollection: true);
        var snapshot = IdentitySnapshot.Build(_data);
        var withSnapshot = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// Identity memory: {IdentityFixture.Organizations:N0} organisations, {IdentityFixture.Accounts:N0} accounts, {IdentityFixture.Keys:N0} keys");
        Console.WriteLine($"// Identity memory: records (IdentityData) {Mb(withData - start)}, snapshot indexes on top {Mb(withSnapshot - withData)}, " +
            $"together {Mb(withSnapshot - start)} ({(withSnapshot - start) / (double)IdentityFixture.Keys:F0} B per key)");

        // A reviewer suspends one account, as the admin API does it.
        var account = _data.Accounts[IdentityFixture.Accounts / 2];
        _suspendedAccountId = account.Id;
        _suspension = new IdentityOperations(TimeProvider.System)
            .ChangeAccountStatus(snapshot, "adm_bench", account.Id, AccountStatus.Suspended, "benchmark").Change;

        var rebuilt = Suspension();
        var keyOfSuspended = _data.ApiKeys.First(k => k.AccountId == _suspendedAccountId).Id;
        var otherKey = _data.ApiKeys.First(k => k.AccountId != _suspendedAccountId).Id;
        if (Build().Data.ApiKeys.Count != IdentityFixture.Keys ||
            !snapshot.TryGetPrincipalByKeyId(keyOfSuspended, out var before) || before.Account.Status != AccountStatus.Active ||
            !rebuilt.TryGetPrincipalByKeyId(keyOfSuspended, out var after) || after.Account.Status != AccountStatus.Suspended ||
            !rebuilt.TryGetPrincipalByKeyId(otherKey, out var other) || other.Account.Status != AccountStatus.Active ||
            rebuilt.Data.Accounts.Count != IdentityFixture.Accounts || KeyDictionary().Count != IdentityFixture.Keys)
        {
            throw new InvalidOperationException("The snapshot is not built as expected.");
        }
    }

    [Benchmark(Baseline = true)]
    public Dictionary<string, ApiKeyRecord> KeyDictionary()
    {
        var keys = new Dictionary<string, ApiKeyRecord>(StringComparer.Ordinal);
        foreach (var key in _data.ApiKeys)
        {
            keys[key.Id] = key;
        }
        return keys;
    }

    /// <summary>At start, or when the whole store is reloaded.</summary>
    [Benchmark]
    public IdentitySnapshot Build() => IdentitySnapshot.Build(_data);

    /// <summary>One admin write: the suspended account replaced in the records, then a new snapshot.</summary>
    [Benchmark]
    public IdentitySnapshot Suspension() => IdentitySnapshot.Build(_data.Apply(_suspension));

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";
}
