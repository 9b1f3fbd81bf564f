using Gatehouse.Engine.Storage;
using Gatehouse.Storage.Postgres;
using Npgsql;

namespace Gatehouse.Storage.Tests;

/// <summary>The shared contract against a real PostgreSQL server, each test in a database of its own.</summary>
public sealed class PostgresStoreTests : GatehouseStoreContract, IAsyncLifetime
{
    private readonly List<PostgresStore> _stores = [];
    private TestDatabase? _database;

    private TestDatabase Database => _database ?? throw new InvalidOperationException("The database is made in InitializeAsync.");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Task<IGatehouseStore> CreateStoreAsync() => Task.FromResult<IGatehouseStore>(NewStore());

    private PostgresStore NewStore(string? password = null)
    {
        var store = new PostgresStore(Database.ConnectionString, password);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Migrate_RecordsEveryVersion()
    {
        await NewStore().MigrateAsync(CancellationToken.None);

        Assert.Equal(8L, await ScalarAsync("SELECT max(version) FROM schema_migrations"));
        Assert.Equal(8L, await ScalarAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerBuild_IsRefused()
    {
        await NewStore().MigrateAsync(CancellationToken.None);
        await ScalarAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', now())");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => NewStore().MigrateAsync(CancellationToken.None));

        Assert.Contains("newer than this build knows", e.Message);
    }

    [Fact]
    public async Task Migrate_TwoGatewaysAtOnce_ApplyEachVersionOnce()
    {
        await Task.WhenAll(NewStore().MigrateAsync(CancellationToken.None), NewStore().MigrateAsync(CancellationToken.None));

        Assert.Equal(8L, await ScalarAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void Description_NamesTheServer_NotThePassword()
    {
        var store = NewStore(password: "hunter2-secret");

        Assert.Contains(Database.Name, store.Description);
        Assert.DoesNotContain("hunter2", store.Description);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
