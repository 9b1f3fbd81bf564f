using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Observability;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Hosting;
using Gatehouse.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Host.Tests.Audit;

/// <summary>Retention on a controllable clock: old records go, a checkpoint accounts for them, and what is kept still verifies.</summary>
public sealed class AuditRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryFolder _folder = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly GatehouseMetrics _metrics = new(TimeProvider.System);
    private SqliteStore _store = null!;
    private AuditWriter _writer = null!;
    private AuditRetention _retention = null!;

    public async Task InitializeAsync()
    {
        var configuration = ConfigurationLoader.Parse("audit: { retention: 30d }", Path.Combine(_folder.Location, "gatehouse.yaml"), _ => null).Configuration!;
        var state = new ConfigurationState(configuration, _time);
        _store = new SqliteStore(Path.Combine(_folder.Location, "gatehouse.db"));
        await _store.MigrateAsync(CancellationToken.None);
        _writer = new AuditWriter(_store, state, _metrics, NullLogger<AuditWriter>.Instance);
        await _writer.OpenAsync(Path.Combine(_folder.Location, AuditWriter.HeadFileName), CancellationToken.None);
        _retention = new AuditRetention(_store, _writer, state, _time, NullLogger<AuditRetention>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _metrics.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private Task RecordAsync(DateTimeOffset time, string requestId) =>
        _writer.RecordAsync(new AuditRecord { Time = time, Kind = AuditRecordKind.Decision, RequestId = requestId, Effect = "allow" }, CancellationToken.None);

    [Fact]
    public async Task RecordsOlderThanTheRetention_AreDropped_UnderACheckpoint_AndTheRestVerifies()
    {
        for (var day = 40; day > 0; day -= 5)
        {
            await RecordAsync(Now.AddDays(-day), $"req_{day}");
        }

        var checkpoint = await _retention.DropExpiredAsync(CancellationToken.None);
        var kept = await _store.ReadAuditAsync(CancellationToken.None).ToListAsync();
        var verification = await AuditVerifier.VerifyAsync(_store.ReadAuditAsync(CancellationToken.None), _writer.Head, CancellationToken.None);

        // Days 40 and 35 are older than 30 days; 30, 25, … are kept.
        Assert.Equal((AuditRecordKind.Checkpoint, 2L), (checkpoint!.Kind, checkpoint.DroppedThrough!.Value));
        Assert.Equal(["req_30", "req_25", "req_20", "req_15", "req_10", "req_5", null], kept.Select(r => r.RequestId));
        Assert.True(verification.Intact, verification.Summary);
    }

    [Fact]
    public async Task RetentionRunsAgainLater_DroppingTheEarlierCheckpointToo_AndNothingToDropIsNoChange()
    {
        await RecordAsync(Now.AddDays(-31), "req_old");
        await RecordAsync(Now.AddDays(-1), "req_new");
        await _retention.DropExpiredAsync(CancellationToken.None);

        var nothing = await _retention.DropExpiredAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(31));
        var again = await _retention.DropExpiredAsync(CancellationToken.None);
        var verification = await AuditVerifier.VerifyAsync(_store.ReadAuditAsync(CancellationToken.None), _writer.Head, CancellationToken.None);

        Assert.Null(nothing);
        Assert.NotNull(again);
        Assert.Equal([again.Sequence], (await _store.ReadAuditAsync(CancellationToken.None).ToListAsync()).Select(r => r.Sequence));
        Assert.True(verification.Intact, verification.Summary);
    }
}
