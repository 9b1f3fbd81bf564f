namespace Gatehouse.Engine.Audit;

/// <summary>The last record a trustworthy party saw: what proves that nothing after it was cut off.</summary>
public sealed record AuditHead(long Sequence, byte[] Hash);

/// <param name="FirstBad">The first record that was changed, removed or reordered; null when the chain is intact.</param>
/// <param name="Problem">What is wrong with <paramref name="FirstBad"/>, in a sentence.</param>
public sealed record AuditVerification(bool Intact, long Checked, long? FirstSequence, long? LastSequence, long? FirstBad, string? Problem)
{
    public string Summary => Intact
        ? Checked == 0 ? "intact: the audit log is empty" : $"intact: {Checked} records, {FirstSequence} to {LastSequence}"
        : $"broken at record {FirstBad}: {Problem}";
}

/// <summary>
/// Walks the chain in sequence order and names the first record that does not hold: a record
/// whose fields no longer give its hash was changed; one that does not follow the hash before it
/// means a record before it was changed, removed or reordered; a gap in the sequence is a removal;
/// a chain that ends before the known head was truncated. Records dropped by retention are
/// accounted for by the checkpoint written when they were dropped.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditHead? head, CancellationToken cancellationToken)
    {
        long count = 0;
        AuditRecord? first = null;
        AuditRecord? previous = null;
        AuditRecord? checkpoint = null;
        AuditRecord? atHead = null;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            count++;
            first ??= record;
            if (previous is not null && record.Sequence != previous.Sequence + 1)
            {
                return record.Sequence > previous.Sequence
                    ? Broken(previous.Sequence + 1, record.Sequence == previous.Sequence + 2
                        ? "it is missing: removed"
                        : $"it is missing, with every record up to {record.Sequence - 1}: removed")
                    : Broken(record.Sequence, "it appears out of order");
            }
            if (!record.Hash.AsSpan().SequenceEqual(AuditChain.ComputeHash(record)))
            {
                return Broken(record.Sequence, "its fields no longer match its hash: changed");
            }
            if (previous is not null && !record.PreviousHash.AsSpan().SequenceEqual(previous.Hash))
            {
                return Broken(record.Sequence, $"it does not follow record {previous.Sequence}: that record was changed, or records were reordered");
            }
            if (previous is null && record.Sequence == 1 && !record.PreviousHash.AsSpan().SequenceEqual(AuditChain.Genesis()))
            {
                return Broken(1, "the first record does not start the chain: changed");
            }
            if (record.Kind == AuditRecordKind.Checkpoint && record.DroppedThrough > (checkpoint?.DroppedThrough ?? 0))
            {
                checkpoint = record;
            }
            if (head is not null && record.Sequence == head.Sequence)
            {
                atHead = record;
            }
            previous = record;
        }

        if (first is not null && first.Sequence > 1)
        {
            var dropped = first.Sequence - 1;
            if (checkpoint is null)
            {
                return Broken(1, $"records 1 to {dropped} are missing and no checkpoint says retention dropped them: removed");
            }
            if (checkpoint.DroppedThrough < dropped)
            {
                return Broken(checkpoint.DroppedThrough!.Value + 1,
                    $"retention dropped records up to {checkpoint.DroppedThrough} (checkpoint {checkpoint.Sequence}), but the log starts at {first.Sequence}: removed");
            }
            if (checkpoint.DroppedThrough > dropped || !string.Equals(checkpoint.DroppedHash, Convert.ToHexStringLower(first.PreviousHash), StringComparison.Ordinal))
            {
                return Broken(first.Sequence, $"it does not follow the records checkpoint {checkpoint.Sequence} says retention dropped: changed");
            }
        }
        if (head is not null)
        {
            if (previous is null || previous.Sequence < head.Sequence)
            {
                var from = (previous?.Sequence ?? 0) + 1;
                return Broken(from, $"the log ends at {previous?.Sequence ?? 0}, but record {head.Sequence} was written: truncated");
            }
            if (atHead is not null && !atHead.Hash.AsSpan().SequenceEqual(head.Hash))
            {
                return Broken(head.Sequence, "it is not the record that was written at this position: replaced");
            }
        }
        return new AuditVerification(true, count, first?.Sequence, previous?.Sequence, null, null);

        AuditVerification Broken(long sequence, string problem) => new(false, count, first?.Sequence, previous?.Sequence, sequence, problem);
    }
}
