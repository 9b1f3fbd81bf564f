using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Storage.Relational;

public abstract partial class RelationalStore
{
    private static readonly string AuditLogColumns =
        "seq, time_ms, kind, dropped_through, " + string.Join(", ", AuditRecord.TextFields.Select(f => f.Name)) + ", prev_hash, hash";

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

    public async Task<IAuditAppender> OpenAuditAppenderAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken) =>
        new AuditAppender(this, await OpenAuditSessionAsync(flushToDisk, lockTimeout, cancellationToken));

    /// <summary>
    /// One connection for every batch. Where the engine takes many statements in one round trip
    /// (PostgreSQL), a batch's inserts go together, so the chain's lock is held for one round trip
    /// rather than one per record; elsewhere (SQLite, in-process) one prepared insert is reused,
    /// so that parsing and binding set-up are paid once, not per commit.
    /// </summary>
    private sealed class AuditAppender(RelationalStore store, DbConnection connection) : IAuditAppender
    {
        private static readonly int ColumnCount = AuditLogColumns.Split(", ").Length;
        private static readonly string InsertSql = $"INSERT INTO audit_log ({AuditLogColumns}) VALUES ({Placeholders(ColumnCount)})";
        private DbCommand? _insert;

        public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditRecord> drafts, long? dropThrough, CancellationToken cancellationToken)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (store.AuditChainLockSql is { } takeLock)
            {
                await store.ExecuteAsync(connection, transaction, takeLock, cancellationToken);
            }
            var end = await store.QueryAsync(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [],
                r => (Sequence: r.GetInt64(0), Hash: (byte[])r.GetValue(1)), cancellationToken);
            var sequence = end.Count == 0 ? 0 : end[0].Sequence;
            var previous = end.Count == 0 ? AuditChain.Genesis() : end[0].Hash;
            if (dropThrough is { } through)
            {
                await store.ExecuteAsync(connection, transaction, "DELETE FROM audit_log WHERE seq <= $1", [through], cancellationToken);
            }
            var linked = new AuditRecord[drafts.Count];
            for (var i = 0; i < drafts.Count; i++)
            {
                linked[i] = AuditChain.Link(drafts[i], ++sequence, previous);
                previous = linked[i].Hash;
            }
            if (connection.CanCreateBatch)
            {
                await InsertTogetherAsync(transaction, linked, cancellationToken);
            }
            else
            {
                await InsertOneByOneAsync(transaction, linked, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return linked;
        }

        private async Task InsertTogetherAsync(DbTransaction transaction, AuditRecord[] records, CancellationToken cancellationToken)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var record in records)
            {
                var insert = batch.CreateBatchCommand();
                insert.CommandText = InsertSql;
                for (var i = 0; i < ColumnCount; i++)
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = store.ParameterName(i + 1);
                    parameter.DbType = ColumnType(i);
                    insert.Parameters.Add(parameter);
                }
                Bind(insert.Parameters, record);
                batch.BatchCommands.Add(insert);
            }
            await batch.PrepareAsync(cancellationToken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        private async Task InsertOneByOneAsync(DbTransaction transaction, AuditRecord[] records, CancellationToken cancellationToken)
        {
            var insert = _insert ??= await PrepareInsertAsync(cancellationToken);
            insert.Transaction = transaction;
            foreach (var record in records)
            {
                Bind(insert.Parameters, record);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        private static void Bind(DbParameterCollection parameters, AuditRecord record)
        {
            var fields = AuditRecord.TextFields;
            parameters[0].Value = record.Sequence;
            parameters[1].Value = record.Time.ToUnixTimeMilliseconds();
            parameters[2].Value = EnumNames<AuditRecordKind>.Of(record.Kind);
            parameters[3].Value = (object?)record.DroppedThrough ?? DBNull.Value;
            for (var f = 0; f < fields.Count; f++)
            {
                parameters[4 + f].Value = (object?)fields[f].Value(record) ?? DBNull.Value;
            }
            parameters[ColumnCount - 2].Value = record.PreviousHash;
            parameters[ColumnCount - 1].Value = record.Hash;
        }

        private static DbType ColumnType(int column) =>
            column < 2 || column == 3 ? DbType.Int64 : column >= ColumnCount - 2 ? DbType.Binary : DbType.String;

        private async Task<DbCommand> PrepareInsertAsync(CancellationToken cancellationToken)
        {
            var insert = store.Command(connection, null, InsertSql, new object?[ColumnCount]);
            for (var i = 0; i < ColumnCount; i++)
            {
                // Typed up front, so that the statement is prepared once for every value, null or not.
                insert.Parameters[i].DbType = ColumnType(i);
            }
            await insert.PrepareAsync(cancellationToken);
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
        await using var transaction = await BeginReadAsync(connection, cancellationToken);
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

    private static AuditRecord ReadAuditRecord(DbDataReader r)
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
