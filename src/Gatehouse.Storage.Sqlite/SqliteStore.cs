using System.Globalization;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, nothing to install.</summary>
public sealed class SqliteStore : IGatehouseStore
{
    private const int SqliteConstraint = 19;
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

    public string Description => $"SQLite database {Path}";

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Taking the write lock and letting it go proves writability without changing anything.
        await ExecuteAsync(connection, null, "BEGIN IMMEDIATE; ROLLBACK;", cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     INTEGER PRIMARY KEY,
                name        TEXT NOT NULL,
                applied_at  TEXT NOT NULL
            );
            """, cancellationToken);

        var applied = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt64(0));
            }
        }
        var newest = SqliteMigrations.All[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(
                $"The database {Path} has schema version {applied.Max()}, newer than this build knows ({newest}). Use a newer Gatehouse.");
        }
        foreach (var (version, name, sql) in SqliteMigrations.All)
        {
            if (applied.Contains(version))
            {
                continue;
            }
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, strftime('%Y-%m-%dT%H:%M:%fZ','now'))";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$name", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<IdentityData> LoadIdentityAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One read transaction, so the four lists describe the same moment.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var organizations = await QueryAsync(connection, transaction, "SELECT id, name, created_at FROM organizations ORDER BY created_at, id",
            r => new Organization(r.GetString(0), r.GetString(1), ReadTime(r, 2)), cancellationToken);
        var accounts = await QueryAsync(connection, transaction, "SELECT id, organization_id, name, email, created_at FROM accounts ORDER BY created_at, id",
            r => new Account(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), ReadTime(r, 4)), cancellationToken);
        var keys = await QueryAsync(connection, transaction, "SELECT id, account_id, name, secret_hash, created_at FROM api_keys ORDER BY created_at, id",
            r => new ApiKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)), cancellationToken);
        var tokens = await QueryAsync(connection, transaction, "SELECT id, role, name, secret_hash, created_at FROM admin_tokens ORDER BY created_at, id",
            r => new AdminTokenRecord(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ReadTime(r, 4)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IdentityData(organizations, accounts, keys, tokens);
    }

    public Task AddOrganizationAsync(Organization organization, CancellationToken cancellationToken) =>
        InsertAsync("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)",
            [organization.Id, organization.Name, WriteTime(organization.CreatedAt)],
            $"organization {organization.Id} already exists", cancellationToken);

    public Task AddAccountAsync(Account account, CancellationToken cancellationToken) =>
        InsertAsync("INSERT INTO accounts (id, organization_id, name, email, created_at) VALUES ($1, $2, $3, $4, $5)",
            [account.Id, account.OrganizationId, account.Name, account.Email, WriteTime(account.CreatedAt)],
            $"organization {account.OrganizationId} does not exist, or account {account.Id} already does", cancellationToken);

    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        InsertAsync("INSERT INTO api_keys (id, account_id, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            [key.Id, key.AccountId, key.Name, key.SecretHash, WriteTime(key.CreatedAt)],
            $"account {key.AccountId} does not exist, or key {key.Id} already does", cancellationToken);

    public Task AddAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken) =>
        InsertAsync("INSERT INTO admin_tokens (id, role, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            [token.Id, token.Role, token.Name, token.SecretHash, WriteTime(token.CreatedAt)],
            $"admin token {token.Id} already exists", cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task InsertAsync(string sql, object?[] values, string conflict, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        }
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            throw new StoreConflictException(conflict, e);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static string WriteTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
