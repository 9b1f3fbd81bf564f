using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Storage.Tests;
using Npgsql;

namespace Gatehouse.Host.Tests.Hosting;

/// <summary>
/// The real gateway with <c>storage.provider: postgres</c>: what it serves is recorded in the server
/// and verifies, its own files (the audit head, the admin token) go beside the configuration, and
/// a change that came with no notification is still picked up by the periodic read.
/// </summary>
public sealed class PostgresStorageTests : IAsyncLifetime
{
    private const string Model = PostgresGateway.Model;
    private const string UnitedStates = PostgresGateway.UnitedStates;

    private TestDatabase _database = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _gateway = await PostgresGateway.StartAsync(_database.ConnectionString, storageSettings: "resync: 1s");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ServedRequest_IsRecordedInPostgres_AndTheChainVerifies()
    {
        var answer = await new GateCalls(_gateway, _gateway.ViaTrustedProxy).SendAsync(_gateway.ApiKey, UnitedStates, Model);
        var requestId = answer.RequestId;

        var page = (await _gateway.Admin.GetFromJsonAsync($"/admin/v1/audit/records?accountId={_gateway.AccountId}", AdminJsonContext.Default.AuditRecordPage))!;
        var verification = (await _gateway.Admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(("allow", requestId), (Assert.Single(page.Records).Effect, page.Records[0].RequestId));
        Assert.True(verification.Intact);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM audit_log WHERE request_id = '{requestId}'"));
        Assert.True(File.Exists(Path.Combine(_gateway.Directory, AuditWriter.HeadFileName)));
    }

    [Fact]
    public async Task ChangeMadeWithoutANotification_IsPickedUpByThePeriodicRead()
    {
        var calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(_gateway.ApiKey, UnitedStates, Model)).Status);

        // Straight into the table, as a restore from backup might: no gateway announces it.
        Assert.Equal(1, await ExecuteAsync($"UPDATE accounts SET status = 'suspended' WHERE id = '{_gateway.AccountId}'"));

        await Eventually.TrueAsync(async () => (await calls.SendAsync(_gateway.ApiKey, UnitedStates, Model)).Reason == "identity.account_suspended", seconds: 5);
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
