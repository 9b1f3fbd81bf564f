using Npgsql;

namespace Gatehouse.Storage.Tests;

/// <summary>
/// A fresh, empty PostgreSQL database on the server that <see cref="Variable"/> names, dropped
/// again at the end. Without the variable the test fails rather than skips: CI must run the
/// PostgreSQL suite for real, and ./test.sh starts a throwaway server whenever PostgreSQL is installed.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "GATEHOUSE_TEST_POSTGRES";

    private readonly string _server;

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string, pointed at this database.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. Run ./test.sh, which starts a throwaway PostgreSQL when one is installed (apt-get install postgresql), " +
                "or set it to a connection string of a server where this user may create databases.");
        }
        var database = new TestDatabase(server, $"gatehouse_test_{Guid.NewGuid():n}");
        await database.ExecuteOnServerAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
