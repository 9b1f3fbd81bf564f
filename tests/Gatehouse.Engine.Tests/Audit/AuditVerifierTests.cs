using Gatehouse.Engine.Audit;

namespace Gatehouse.Engine.Tests.Audit;

/// <summary>The chain and its verifier: every kind of tampering is named at the first record it touches.</summary>
public sealed class AuditVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count, long first = 1, byte[]? previous = null)
    {
        var records = new List<AuditRecord>();
        previous ??= AuditChain.Genesis();
        for (var i = 0; i < count; i++)
        {
            var record = AuditChain.Link(new AuditRecord
            {
                Time = Start.AddSeconds(i),
                Kind = AuditRecordKind.Decision,
                RequestId = $"req_{i}",
                AccountId = "acc_1",
                Effect = i % 3 == 0 ? "deny" : "allow",
                ReasonCode = i % 3 == 0 ? "geo.country_restricted" : "allowed",
            }, first + i, previous);
            records.Add(record);
            previous = record.Hash;
        }
        return records;
    }

    private static Task<AuditVerification> VerifyAsync(IEnumerable<AuditRecord> records, AuditHead? head = null) =>
        AuditVerifier.VerifyAsync(records.ToAsyncEnumerable(), head, CancellationToken.None);

    private static AuditHead HeadOf(List<AuditRecord> records) => new(records[^1].Sequence, records[^1].Hash);

    [Fact]
    public async Task AnUntouchedChain_IsIntact_WithItsHead()
    {
        var records = Chain(10);

        var result = await VerifyAsync(records, HeadOf(records));

        Assert.Equal((true, 10L, 1L, 10L), (result.Intact, result.Checked, result.FirstSequence, result.LastSequence));
        Assert.Equal("intact: 10 records, 1 to 10", result.Summary);
    }

    [Fact]
    public async Task AChangedField_IsNamedAtThatRecord()
    {
        var records = Chain(10);
        records[4] = records[4] with { Effect = "substitute" };

        var result = await VerifyAsync(records);

        Assert.Equal((false, 5L), (result.Intact, result.FirstBad));
        Assert.Contains("changed", result.Problem);
    }

    [Fact]
    public async Task AChangedRecordWhoseHashWasRecomputed_BreaksTheLinkToTheNext()
    {
        var records = Chain(10);
        var forged = records[4] with { ReasonCode = "policy.explicit_deny" };
        records[4] = forged with { Hash = AuditChain.ComputeHash(forged) };

        var result = await VerifyAsync(records);

        Assert.Equal(6L, result.FirstBad);
        Assert.Contains("does not follow record 5", result.Problem);
    }

    [Fact]
    public async Task ARemovedRecord_IsNamed()
    {
        var records = Chain(10);
        records.RemoveAt(6);

        var result = await VerifyAsync(records);

        Assert.Equal(7L, result.FirstBad);
        Assert.Contains("missing", result.Problem);
    }

    [Fact]
    public async Task TwoRecordsSwappedInPlace_AreNamedAtTheFirst()
    {
        var records = Chain(10);
        (records[3], records[4]) = (records[4] with { Sequence = 4 }, records[3] with { Sequence = 5 });

        var result = await VerifyAsync(records);

        Assert.Equal(4L, result.FirstBad);
    }

    [Fact]
    public async Task ATruncatedTail_IsNamedAgainstTheHead()
    {
        var records = Chain(10);
        var head = HeadOf(records);

        var result = await VerifyAsync(records.Take(7), head);

        Assert.Equal(8L, result.FirstBad);
        Assert.Contains("truncated", result.Problem);
    }

    [Fact]
    public async Task AnEmptiedLog_IsTruncatedFromItsFirstRecord()
    {
        var result = await VerifyAsync([], new AuditHead(3, new byte[AuditChain.HashSize]));

        Assert.Equal(1L, result.FirstBad);
    }

    [Fact]
    public async Task ALastRecordReplacedWholesale_DoesNotMatchTheHead()
    {
        var records = Chain(10);
        var head = HeadOf(records);
        var replaced = Chain(10);
        replaced[9] = AuditChain.Link(replaced[9] with { RequestId = "req_other" }, 10, replaced[8].Hash);

        var result = await VerifyAsync(replaced, head);

        Assert.Equal(10L, result.FirstBad);
        Assert.Contains("replaced", result.Problem);
    }

    [Fact]
    public async Task RecordsDroppedByRetention_AreAccountedForByTheirCheckpoint()
    {
        var records = Chain(10);
        var checkpoint = AuditChain.Link(new AuditRecord
        {
            Time = Start.AddHours(1),
            Kind = AuditRecordKind.Checkpoint,
            DroppedThrough = 4,
            DroppedHash = Convert.ToHexStringLower(records[3].Hash),
        }, 11, records[9].Hash);
        var kept = records.Skip(4).Append(checkpoint).ToList();

        var intact = await VerifyAsync(kept, HeadOf(kept));
        var moreRemoved = await VerifyAsync(kept.Skip(1), HeadOf(kept));
        var noCheckpoint = await VerifyAsync(records.Skip(4));

        Assert.True(intact.Intact, intact.Summary);
        Assert.Equal(5L, moreRemoved.FirstBad);
        Assert.Equal(1L, noCheckpoint.FirstBad);
    }

    [Fact]
    public void TheHash_CoversEveryField_AndTellsMissingFromEmpty()
    {
        var template = new AuditRecord { Time = Start, Kind = AuditRecordKind.Admin, PreviousHash = AuditChain.Genesis() };
        var hashes = new HashSet<string> { Hex(template) };
        foreach (var property in typeof(AuditRecord).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            foreach (var value in new[] { "", "x" })
            {
                var changed = template with { };
                property.SetValue(changed, value);
                Assert.True(hashes.Add(Hex(changed)), $"{property.Name} = '{value}' does not change the hash");
            }
        }
        Assert.True(hashes.Add(Hex(template with { Sequence = 2 })));
        Assert.True(hashes.Add(Hex(template with { Time = Start.AddMilliseconds(1) })));
        Assert.True(hashes.Add(Hex(template with { Kind = AuditRecordKind.Decision })));
        Assert.True(hashes.Add(Hex(template with { DroppedThrough = 0 })));
        Assert.True(hashes.Add(Hex(template with { PreviousHash = new byte[AuditChain.HashSize].Select(_ => (byte)1).ToArray() })));
        Assert.Equal(AuditRecord.TextFields.Count, typeof(AuditRecord).GetProperties().Count(p => p.PropertyType == typeof(string)));

        static string Hex(AuditRecord record) => Convert.ToHexString(AuditChain.ComputeHash(record));
    }
}
