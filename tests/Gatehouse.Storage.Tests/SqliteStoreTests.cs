using Gatehouse.Engine.Storage;
using Gatehouse.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Tests;

public sealed class SqliteStoreTests : GatehouseStoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-storage-tests", Guid.NewGuid().ToString("n"));

    private string DatabasePath => Path.Combine(_directory, "nested", "gatehouse.db");

    protected override Task<IGatehouseStore> CreateStoreAsync() => Task.FromResult<IGatehouseStore>(new SqliteStore(DatabasePath));

    [Fact]
    public async Task Migrate_CreatesTheFolderAndUsesWal()
    {
        await new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None);

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerBuild_IsRefused()
    {
        await new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None);
        Scalar("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None));

        Assert.Contains("newer than this build knows", e.Message);
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
