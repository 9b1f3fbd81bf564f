using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Storage.Tests;

public abstract partial class GatehouseStoreContract
{
    private static readonly DateTimeOffset AuditStart = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private async Task<IAuditLogStore> AuditLogAsync() => (IAuditLogStore)await MigratedStoreAsync();

    /// <summary>One batch through a session of its own, as the writer would after a restart.</summary>
    private static async Task AppendAsync(IAuditLogStore store, IReadOnlyList<AuditRecord> records, long? dropThrough = null)
    {
        await using var appender = await store.OpenAuditAppenderAsync(flushToDisk: true, TimeSpan.FromSeconds(5), CancellationToken.None);
        await appender.AppendAsync(records, dropThrough, CancellationToken.None);
    }

    /// <summary><paramref name="count"/> records after <paramref name="after"/>, a minute apart, alternating two accounts and effects.</summary>
    private static List<AuditRecord> Linked(int count, AuditRecord? after = null)
    {
        var records = new List<AuditRecord>();
        var previous = after?.Hash ?? AuditChain.Genesis();
        var sequence = after?.Sequence ?? 0;
        for (var i = 0; i < count; i++)
        {
            sequence++;
            var record = AuditChain.Link(new AuditRecord
            {
                Time = AuditStart.AddMinutes(sequence),
                Kind = AuditRecordKind.Decision,
                RequestId = $"req_{sequence}",
                AccountId = sequence % 2 == 0 ? "acc_even" : "acc_odd",
                Country = "DE",
                Effect = sequence % 2 == 0 ? "allow" : "deny",
                ReasonCode = sequence % 2 == 0 ? "allowed" : "geo.country_restricted",
                Detail = "Ünïcode and \"quotes\", kept exactly",
            }, sequence, previous);
            records.Add(record);
            previous = record.Hash;
        }
        return records;
    }

    [Fact]
    public async Task AuditLog_RoundTripsEveryField_InSequenceOrder_AndStillVerifies()
    {
        var store = await AuditLogAsync();
        var first = Linked(3);
        var admin = AuditChain.Link(new AuditRecord
        {
            Time = AuditStart.AddHours(1).AddMilliseconds(7),
            Kind = AuditRecordKind.Admin,
            Actor = "gha_1",
            Action = "account.suspend",
            TargetId = "acc_odd",
            Detail = "status: active → suspended",
            Comment = "",
        }, 4, first[^1].Hash);

        await using (var appender = await store.OpenAuditAppenderAsync(flushToDisk: false, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            await appender.AppendAsync(first, null, CancellationToken.None);
            await appender.AppendAsync([admin], null, CancellationToken.None);
        }
        var read = await store.ReadAuditAsync(CancellationToken.None).ToListAsync();

        Assert.Equal([.. first, admin], read, AuditRecordComparer.Instance);
        Assert.Equal(4, (await store.LoadLastAuditRecordAsync(CancellationToken.None))!.Sequence);
        Assert.True((await AuditVerifier.VerifyAsync(store.ReadAuditAsync(CancellationToken.None), new AuditHead(4, admin.Hash), CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task AuditLog_AppendingASequenceNumberTwice_FailsTheWholeBatch()
    {
        var store = await AuditLogAsync();
        var records = Linked(3);
        await AppendAsync(store, records[..2]);

        await Assert.ThrowsAnyAsync<Exception>(() => AppendAsync(store, [records[2], records[1]]));

        Assert.Equal(2, (await store.LoadLastAuditRecordAsync(CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task AuditLog_Query_FiltersAndPages()
    {
        var store = await AuditLogAsync();
        await AppendAsync(store, Linked(10));

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
        var records = Linked(10);
        await AppendAsync(store, records);

        var last = await store.LoadLastAuditRecordBeforeAsync(AuditStart.AddMinutes(4).AddSeconds(30), CancellationToken.None);
        var checkpoint = AuditChain.Link(new AuditRecord
        {
            Time = AuditStart.AddDays(1),
            Kind = AuditRecordKind.Checkpoint,
            DroppedThrough = last!.Sequence,
            DroppedHash = Convert.ToHexStringLower(last.Hash),
        }, 11, records[^1].Hash);
        await AppendAsync(store, [checkpoint], last.Sequence);
        var kept = await store.ReadAuditAsync(CancellationToken.None).ToListAsync();

        Assert.Equal(4, last.Sequence);
        Assert.Equal([5L, 6, 7, 8, 9, 10, 11], kept.Select(r => r.Sequence));
        Assert.True((await AuditVerifier.VerifyAsync(kept.ToAsyncEnumerable(), new AuditHead(11, checkpoint.Hash), CancellationToken.None)).Intact);
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
