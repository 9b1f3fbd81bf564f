using System.Data;
using System.Data.Common;
using System.Globalization;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Engine.Storage.Relational;
using Npgsql;

namespace Gatehouse.Storage.Postgres;

/// <summary>
/// A PostgreSQL server as the store, for gateways that share one database. Connections come
/// from one pooled <see cref="NpgsqlDataSource"/>; the password is handed over apart from the
/// connection string, so that it never shows in <see cref="Description"/>. Every change to what
/// gateways keep in memory is announced on a LISTEN/NOTIFY channel in its own transaction, so
/// the announcement goes out exactly when (and if) the change commits.
/// </summary>
public sealed class PostgresStore : RelationalStore, IStoreChangeFeed, IAsyncDisposable
{
    private const string ChangeChannel = "gatehouse_changes";
    // A quiet listener asks the server this often whether its connection still works: a server
    // gone without closing the socket would otherwise leave it waiting for ever, missing changes.
    private static readonly TimeSpan ListenerProbeInterval = TimeSpan.FromSeconds(5);

    // Any fixed number: the key of the advisory lock that lets one gateway at a time migrate.
    private const long MigrationLockKey = 0x6761746568;
    private const long AuditChainLockKey = 0x6761746569;
    private readonly NpgsqlDataSource _dataSource;
    // Tells this store's own announcements from other gateways': the change is already applied here.
    private readonly string _instance = Identifiers.New("gw");

    /// <param name="connectionString">Where the server is and who to be, without the password.</param>
    /// <param name="password">The password, when the server asks for one.</param>
    public PostgresStore(string connectionString, string? password)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (password is not null)
        {
            builder.ConnectionStringBuilder.Password = password;
        }
        var settings = builder.ConnectionStringBuilder;
        Description = $"PostgreSQL database {settings.Database ?? settings.Username} on {settings.Host}:{settings.Port}";
        _dataSource = builder.Build();
    }

    public override string Description { get; }

    protected override IReadOnlyList<(int Version, string Name, string Sql)> Migrations => PostgresMigrations.All;

    protected override string CreateMigrationsTableSql => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     BIGINT PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TIMESTAMPTZ NOT NULL
        );
        """;

    protected override string RecordMigrationSql => "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, clock_timestamp())";

    protected override string AdminAuditInsertionOrder => "position";

    // A write that changes nothing still fails on a read-only server or a standby.
    protected override string WritableProbeSql => "UPDATE schema_migrations SET version = version WHERE false";

    // Gateways sharing the database may start together; the second waits and then finds nothing to do.
    protected override Task BeforeMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);

    // Now, not when the pool next resets the connection: until then an idle connection would keep other gateways waiting.
    protected override Task AfterMigrationsAsync(DbConnection connection) =>
        ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var readOnly = connection.CreateCommand();
        readOnly.Transaction = transaction;
        readOnly.CommandText = "SET TRANSACTION READ ONLY";
        await readOnly.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    protected override async Task<DbConnection> OpenAuditSessionAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // Session settings, which the pool resets before the connection serves anyone else.
            var milliseconds = Math.Max(1, (long)Math.Ceiling(lockTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection,
                $"SET synchronous_commit = {(flushToDisk ? "on" : "off")}; SET lock_timeout = {milliseconds}; SET statement_timeout = {milliseconds}", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override (string Sql, string Payload)? Announcement(StoreChange change) =>
        ($"SELECT pg_notify('{ChangeChannel}', $1)", $"{EnumNames<StoreChange>.Of(change)} {_instance}");

    public async Task ListenAsync(Action listening, Action<StoreChange> changed, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, e) =>
        {
            var parts = e.Payload.Split(' ');
            if (parts.Length == 2 && parts[1] != _instance && EnumNames<StoreChange>.TryParse(parts[0], out var change))
            {
                changed(change);
            }
        };
        await ExecuteAsync(connection, $"LISTEN {ChangeChannel}", cancellationToken);
        listening();
        while (true)
        {
            if (!await connection.WaitAsync(ListenerProbeInterval, cancellationToken))
            {
                await ExecuteAsync(connection, "SELECT 1", cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Gateways sharing the database append to one chain: each batch reads the chain's end and links onto it under this lock.
    protected override string AuditChainLockSql => $"SELECT pg_advisory_xact_lock({AuditChainLockKey})";

    protected override bool IsConflict(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation };

    // Npgsql binds unnamed parameters to $1, $2, … in order.
    protected override string ParameterName(int position) => "";

    protected override object? WriteTime(DateTimeOffset? time) => time?.ToUniversalTime();

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override object WriteDay(DateOnly day) => day;

    protected override DateOnly ReadDay(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
