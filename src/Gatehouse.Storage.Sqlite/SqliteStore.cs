using System.Data.Common;
using System.Globalization;
using Gatehouse.Engine.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, nothing to install.</summary>
public sealed class SqliteStore : RelationalStore
{
    private const int SqliteConstraint = 19;
    private const string DayFormat = "yyyy-MM-dd";
    private readonly string _connectionString;

    public SqliteStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Also the busy timeout: a writer waits for another instead of failing at once.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public override string Description => $"SQLite database {Path}";

    protected override IReadOnlyList<(int Version, string Name, string Sql)> Migrations => SqliteMigrations.All;

    protected override string CreateMigrationsTableSql => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );
        """;

    protected override string RecordMigrationSql =>
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

    protected override string AdminAuditInsertionOrder => "rowid";

    // Taking the write lock and letting it go proves writability without changing anything.
    protected override string WritableProbeSql => "BEGIN IMMEDIATE; ROLLBACK;";

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await base.MigrateAsync(cancellationToken);
    }

    // One file has one writer at a time, so concurrent migrations wait on SQLite's own lock.
    protected override Task BeforeMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await WaitForLocksInSqliteAsync(connection, cancellationToken);
        return connection;
    }

    protected override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override async Task<DbConnection> OpenAuditSessionAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken)
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
            await ExecuteAsync(connection, flushToDisk ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Lets SQLite itself wait for another writer's lock, in steps of milliseconds. Without it
    /// Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms, and every request
    /// waiting on the audit log's next commit waits with it (the p99 of the load test went from
    /// about 130 ms to 5 ms). A second at most, so that the command timeouts still bound the wait.
    /// </summary>
    private static Task WaitForLocksInSqliteAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, "PRAGMA busy_timeout = 1000", cancellationToken);

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override bool IsConflict(DbException exception) => exception is SqliteException { SqliteErrorCode: SqliteConstraint };

    protected override string ParameterName(int position) => $"${position}";

    protected override object? WriteTime(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal)
        ? null
        : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    protected override object WriteDay(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    protected override DateOnly ReadDay(DbDataReader reader, int ordinal) => DateOnly.ParseExact(reader.GetString(ordinal), DayFormat, CultureInfo.InvariantCulture);
}
