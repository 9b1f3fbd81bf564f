using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Engine.Audit;

/// <summary>
/// The chain's hash: SHA-256 over a version byte, the previous record's hash, then the record's
/// fields in a canonical encoding — fixed order, big-endian numbers, times in Unix milliseconds,
/// each text as its UTF-8 length and bytes, with -1 for a missing one so that missing and empty differ.
/// </summary>
public static class AuditChain
{
    public const int HashSize = 32;
    private const byte EncodingVersion = 1;

    /// <summary>What the first record follows: all zeros.</summary>
    public static byte[] Genesis() => new byte[HashSize];

    /// <summary>The record placed after <paramref name="previousHash"/> at <paramref name="sequence"/>, with its hashes set.</summary>
    public static AuditRecord Link(AuditRecord record, long sequence, byte[] previousHash) =>
        record with { Sequence = sequence, PreviousHash = previousHash, Hash = ComputeHash(record, sequence, previousHash) };

    /// <summary>The hash <paramref name="record"/> should carry, from its fields, its sequence number and its <see cref="AuditRecord.PreviousHash"/>.</summary>
    public static byte[] ComputeHash(AuditRecord record) => ComputeHash(record, record.Sequence, record.PreviousHash);

    /// <summary>The hash of <paramref name="record"/>'s fields placed at <paramref name="sequence"/> after <paramref name="previousHash"/>.</summary>
    private static byte[] ComputeHash(AuditRecord record, long sequence, byte[] previousHash)
    {
        var length = 1 + HashSize + 8 + 8 + 1 + 8;
        foreach (var (_, value) in AuditRecord.TextFields)
        {
            length += 4 + (value(record) is { } text ? Encoding.UTF8.GetByteCount(text) : 0);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = buffer.AsSpan(0, length);
            var at = 0;
            span[at++] = EncodingVersion;
            var previous = previousHash.Length == HashSize ? previousHash : throw new ArgumentException("The previous hash must be 32 bytes.", nameof(previousHash));
            previous.CopyTo(span[at..]);
            at += HashSize;
            BinaryPrimitives.WriteInt64BigEndian(span[at..], sequence);
            at += 8;
            BinaryPrimitives.WriteInt64BigEndian(span[at..], record.Time.ToUnixTimeMilliseconds());
            at += 8;
            span[at++] = (byte)record.Kind;
            BinaryPrimitives.WriteInt64BigEndian(span[at..], record.DroppedThrough ?? -1);
            at += 8;
            foreach (var (_, value) in AuditRecord.TextFields)
            {
                if (value(record) is { } text)
                {
                    var written = Encoding.UTF8.GetBytes(text, span[(at + 4)..]);
                    BinaryPrimitives.WriteInt32BigEndian(span[at..], written);
                    at += 4 + written;
                }
                else
                {
                    BinaryPrimitives.WriteInt32BigEndian(span[at..], -1);
                    at += 4;
                }
            }
            return SHA256.HashData(span[..at]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
