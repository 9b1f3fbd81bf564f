using System.Runtime.CompilerServices;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private static readonly string AuditLogColumns =
        "seq, time_ms, kind, dropped_through, " + string.Join(", ", AuditRecord.TextFields.Select(f => f.Name)) + ", prev_hash, hash";

    private static readonly string InsertAuditSql = $"INSERT INTO audit_log ({AuditLogColumns}) VALUES ({Placeholders(AuditLogColumns.Split(", ").Length)})";

    public async Task<AuditRecord?> LoadLastAuditRecordAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, $"SELECT {AuditLogColumns} FROM audit_log ORDER BY seq DESC LIMIT 1", [], ReadAuditRecord, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AuditRecord?> LoadLastAuditRecordBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, $"SELECT {AuditLogColumns} FROM audit_log WHERE time_ms < $1 ORDER BY seq DESC LIMIT 1",
            [time.ToUnixTimeMilliseconds()], ReadAuditRecord, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IAuditAppender> OpenAuditAppenderAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        // Its own connection, outside the pool: the synchronous setting must not leak into other writes.
        // Its busy timeout is the caller's: SQLite's wait for a lock does not heed cancellation.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString)
        {
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(lockTimeout.TotalSeconds)),
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await WaitForLocksInSqliteAsync(connection, cancellationToken);
            await ExecuteAsync(connection, null, flushToDisk ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", cancellationToken);
            return new AuditAppender(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>One connection and one prepared insert for every batch: parsing and binding set-up are paid once, not per commit.</summary>
    private sealed class AuditAppender(SqliteConnection connection) : IAuditAppender
    {
        private SqliteCommand? _insert;
        private SqliteParameter[] _parameters = [];

        public async Task AppendAsync(IReadOnlyList<AuditRecord> records, long? dropThrough, CancellationToken cancellationToken)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (dropThrough is { } through)
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM audit_log WHERE seq <= $1", [through], cancellationToken);
            }
            var insert = _insert ??= PrepareInsert();
            insert.Transaction = transaction;
            var fields = AuditRecord.TextFields;
            foreach (var record in records)
            {
                _parameters[0].Value = record.Sequence;
                _parameters[1].Value = record.Time.ToUnixTimeMilliseconds();
                _parameters[2].Value = EnumNames<AuditRecordKind>.Of(record.Kind);
                _parameters[3].Value = (object?)record.DroppedThrough ?? DBNull.Value;
                for (var f = 0; f < fields.Count; f++)
                {
                    _parameters[4 + f].Value = (object?)fields[f].Value(record) ?? DBNull.Value;
                }
                _parameters[^2].Value = record.PreviousHash;
                _parameters[^1].Value = record.Hash;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        private SqliteCommand PrepareInsert()
        {
            var insert = connection.CreateCommand();
            insert.CommandText = InsertAuditSql;
            _parameters = new SqliteParameter[AuditLogColumns.Split(", ").Length];
            for (var i = 0; i < _parameters.Length; i++)
            {
                _parameters[i] = insert.Parameters.AddWithValue($"${i + 1}", DBNull.Value);
            }
            insert.Prepare();
            return insert;
        }

        public async ValueTask DisposeAsync()
        {
            if (_insert is not null)
            {
                await _insert.DisposeAsync();
            }
            await connection.DisposeAsync();
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One read transaction: a consistent view however long the walk takes, while the writer goes on.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = Command(connection, transaction, $"SELECT {AuditLogColumns} FROM audit_log ORDER BY seq", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadAuditRecord(reader);
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string> { "seq > $1" };
        var values = new List<object?> { query.After };
        void Where(string column, string op, object? value)
        {
            if (value is not null)
            {
                values.Add(value);
                conditions.Add($"{column} {op} ${values.Count}");
            }
        }
        Where("time_ms", ">=", query.From?.ToUnixTimeMilliseconds());
        Where("time_ms", "<", query.To?.ToUnixTimeMilliseconds());
        Where("kind", "=", query.Kind is { } kind ? EnumNames<AuditRecordKind>.Of(kind) : null);
        Where("account_id", "=", query.AccountId);
        Where("organization_id", "=", query.OrganizationId);
        Where("country", "=", query.Country);
        Where("reason_code", "=", query.ReasonCode);
        Where("effect", "=", query.Effect);
        values.Add(query.Limit);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {AuditLogColumns} FROM audit_log WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT ${values.Count}", values, ReadAuditRecord, cancellationToken);
    }

    private static AuditRecord ReadAuditRecord(SqliteDataReader r)
    {
        var at = 4;
        string? Next() => Text(r, at++);
        return new AuditRecord
        {
            Sequence = r.GetInt64(0),
            Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            Kind = Parse<AuditRecordKind>(r, 2),
            DroppedThrough = r.IsDBNull(3) ? null : r.GetInt64(3),
            // In AuditRecord.TextFields order.
            RequestId = Next(),
            DecisionId = Next(),
            KeyId = Next(),
            AccountId = Next(),
            OrganizationId = Next(),
            Client = Next(),
            Country = Next(),
            NetworkType = Next(),
            RequestedModel = Next(),
            Model = Next(),
            Endpoint = Next(),
            Region = Next(),
            Effect = Next(),
            ReasonCode = Next(),
            Layer = Next(),
            Rule = Next(),
            LicenseId = Next(),
            LicenseNumber = Next(),
            Actor = Next(),
            Action = Next(),
            TargetId = Next(),
            Detail = Next(),
            Comment = Next(),
            DroppedHash = Next(),
            PreviousHash = (byte[])r.GetValue(at),
            Hash = (byte[])r.GetValue(at + 1),
        };
    }
}
