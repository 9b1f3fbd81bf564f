using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Storage.Tests;

public abstract partial class GatehouseStoreContract
{
    private static readonly DateTimeOffset AuditStart = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private async Task<IAuditLogStore> AuditLogAsync() => (IAuditLogStore)await MigratedStoreAsync();

    /// <summary>One batch through a session of its own, as the writer would after a restart.</summary>
    private static async Task<IReadOnlyList<AuditRecord>> AppendAsync(IAuditLogStore store, IReadOnlyList<AuditRecord> drafts, long? dropThrough = null)
    {
        await using var appender = await store.OpenAuditAppenderAsync(flushToDisk: true, TimeSpan.FromSeconds(5), CancellationToken.None);
        return await appender.AppendAsync(drafts, dropThrough, CancellationToken.None);
    }

    /// <summary><paramref name="count"/> unlinked records, a minute apart from <paramref name="first"/> on, alternating two accounts and effects.</summary>
    private static List<AuditRecord> Drafts(int count, int first = 1) =>
        [.. Enumerable.Range(first, count).Select(n => new AuditRecord
        {
            Time = AuditStart.AddMinutes(n),
            Kind = AuditRecordKind.Decision,
            RequestId = $"req_{n}",
            AccountId = n % 2 == 0 ? "acc_even" : "acc_odd",
            Country = "DE",
            Effect = n % 2 == 0 ? "allow" : "deny",
            ReasonCode = n % 2 == 0 ? "allowed" : "geo.country_restricted",
            Detail = "Ünïcode and \"quotes\", kept exactly",
        })];

    [Fact]
    public async Task AuditLog_RoundTripsEveryField_InSequenceOrder_AndStillVerifies()
    {
        var store = await AuditLogAsync();
        var admin = new AuditRecord
        {
            Time = AuditStart.AddHours(1).AddMilliseconds(7),
            Kind = AuditRecordKind.Admin,
            Actor = "gha_1",
            Action = "account.suspend",
            TargetId = "acc_odd",
            Detail = "status: active → suspended",
            Comment = "",
        };

        IReadOnlyList<AuditRecord> first, second;
        await using (var appender = await store.OpenAuditAppenderAsync(flushToDisk: false, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            first = await appender.AppendAsync(Drafts(3), null, CancellationToken.None);
            second = await appender.AppendAsync([admin], null, CancellationToken.None);
        }
        var read = await store.ReadAuditAsync(CancellationToken.None).ToListAsync();

        Assert.Equal([1L, 2, 3, 4], read.Select(r => r.Sequence));
        Assert.Equal([.. first, .. second], read, AuditRecordComparer.Instance);
        Assert.Equal(first[^1].Hash, second[0].PreviousHash);
        Assert.Equal(4, (await store.LoadLastAuditRecordAsync(CancellationToken.None))!.Sequence);
        Assert.True((await AuditVerifier.VerifyAsync(store.ReadAuditAsync(CancellationToken.None), new AuditHead(4, second[0].Hash), CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task AuditLog_AppendersOfSeveralGateways_TakeTurnsOnOneChain()
    {
        var store = await AuditLogAsync();
        const int Gateways = 3, Batches = 20, BatchSize = 5;

        var committed = await Task.WhenAll(Enumerable.Range(0, Gateways).Select(gateway => Task.Run(async () =>
        {
            var mine = new List<AuditRecord>();
            await using var appender = await store.OpenAuditAppenderAsync(flushToDisk: false, TimeSpan.FromSeconds(30), CancellationToken.None);
            for (var batch = 0; batch < Batches; batch++)
            {
                mine.AddRange(await appender.AppendAsync(Drafts(BatchSize, first: (gateway * Batches + batch) * BatchSize + 1), null, CancellationToken.None));
            }
            return mine;
        })));
        var read = await store.ReadAuditAsync(CancellationToken.None).ToListAsync();

        Assert.Equal(Enumerable.Range(1, Gateways * Batches * BatchSize).Select(n => (long)n), read.Select(r => r.Sequence));
        Assert.Equal(committed.SelectMany(c => c).OrderBy(r => r.Sequence), read, AuditRecordComparer.Instance);
        var last = read[^1];
        Assert.True((await AuditVerifier.VerifyAsync(read.ToAsyncEnumerable(), new AuditHead(last.Sequence, last.Hash), CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task AuditLog_Query_FiltersAndPages()
    {
        var store = await AuditLogAsync();
        await AppendAsync(store, Drafts(10));

        var denials = await store.QueryAuditAsync(new AuditQuery(Effect: "deny", AccountId: "acc_odd", Country: "DE"), CancellationToken.None);
        var firstPage = await store.QueryAuditAsync(new AuditQuery(Limit: 4), CancellationToken.None);
        var secondPage = await store.QueryAuditAsync(new AuditQuery(After: firstPage[^1].Sequence, Limit: 4), CancellationToken.None);
        var window = await store.QueryAuditAsync(new AuditQuery(From: AuditStart.AddMinutes(3), To: AuditStart.AddMinutes(6), ReasonCode: "allowed"), CancellationToken.None);
        var admins = await store.QueryAuditAsync(new AuditQuery(Kind: AuditRecordKind.Admin), CancellationToken.None);

        Assert.Equal([1L, 3, 5, 7, 9], denials.Select(r => r.Sequence));
        Assert.Equal([1L, 2, 3, 4], firstPage.Select(r => r.Sequence));
        Assert.Equal([5L, 6, 7, 8], secondPage.Select(r => r.Sequence));
        Assert.Equal([4L], window.Select(r => r.Sequence));
        Assert.Empty(admins);
    }

    [Fact]
    public async Task AuditLog_DroppingWithACheckpoint_KeepsTheRestVerifiable()
    {
        var store = await AuditLogAsync();
        await AppendAsync(store, Drafts(10));

        var last = await store.LoadLastAuditRecordBeforeAsync(AuditStart.AddMinutes(4).AddSeconds(30), CancellationToken.None);
        var checkpoint = await AppendAsync(store, [new AuditRecord
        {
            Time = AuditStart.AddDays(1),
            Kind = AuditRecordKind.Checkpoint,
            DroppedThrough = last!.Sequence,
            DroppedHash = Convert.ToHexStringLower(last.Hash),
        }], last.Sequence);
        var kept = await store.ReadAuditAsync(CancellationToken.None).ToListAsync();

        Assert.Equal(4, last.Sequence);
        Assert.Equal([5L, 6, 7, 8, 9, 10, 11], kept.Select(r => r.Sequence));
        Assert.True((await AuditVerifier.VerifyAsync(kept.ToAsyncEnumerable(), new AuditHead(11, checkpoint[0].Hash), CancellationToken.None)).Intact);
    }

    private sealed class AuditRecordComparer : IEqualityComparer<AuditRecord>
    {
        public static AuditRecordComparer Instance { get; } = new();

        /// <summary>Equal when they hash alike and carry the same hashes: every field counts.</summary>
        public bool Equals(AuditRecord? x, AuditRecord? y) => x is not null && y is not null &&
            AuditChain.ComputeHash(x).AsSpan().SequenceEqual(AuditChain.ComputeHash(y)) && x.Hash.AsSpan().SequenceEqual(y.Hash) && x.Time == y.Time;

        public int GetHashCode(AuditRecord obj) => obj.Sequence.GetHashCode();
    }
}
