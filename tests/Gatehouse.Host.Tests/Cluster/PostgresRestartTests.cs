using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Gatehouse.Host.Tests.Cluster;

/// <summary>
/// PostgreSQL stops at once and comes back while requests flow: the gateway refuses (503) while
/// it cannot record, serves again once the server is back, and every request it answered with a
/// decision has its audit record in a chain that verifies.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Model = PostgresGateway.Model;
    private const string UnitedStates = PostgresGateway.UnitedStates;
    private const int Workers = 8;

    private PostgresServer _server = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _gateway = await PostgresGateway.StartAsync(_server.ConnectionString, sections: "audit: { commitTimeout: 2s }");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _server.Dispose();
    }

    [Fact]
    public async Task RestartedDuringTraffic_TheGatewayRecovers_AndEveryAnsweredRequestHasItsRecord()
    {
        var calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
        var answers = new ConcurrentQueue<(HttpStatusCode Status, string RequestId, long At)>();
        var clock = Stopwatch.StartNew();
        long restartedAt = long.MaxValue;
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await calls.SendAsync(_gateway.ApiKey, UnitedStates, Model);
                answers.Enqueue((answer.Status, answer.RequestId, clock.ElapsedMilliseconds));
            }
        })));

        await Task.Delay(TimeSpan.FromSeconds(2));
        await _server.RestartAsync();
        Interlocked.Exchange(ref restartedAt, clock.ElapsedMilliseconds);
        await Eventually.TrueAsync(() => Task.FromResult(answers.Count(a => a.Status == HttpStatusCode.OK && a.At > Interlocked.Read(ref restartedAt)) >= 100), seconds: 30);
        await stop.CancelAsync();
        await load;

        var byStatus = answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", byStatus.Select(p => $"{(int)p.Key}: {p.Value}")));
        Assert.All(byStatus.Keys, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var recorded = await RecordedRequestIdsAsync();
        Assert.Subset(recorded, answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.RequestId).ToHashSet());
        var verification = (await _gateway.Admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;
        Assert.True(verification.Intact, verification.Summary);
        await Eventually.TrueAsync(async () => (await _gateway.Admin.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, seconds: 10);
    }

    private async Task<HashSet<string>> RecordedRequestIdsAsync()
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT request_id FROM audit_log WHERE kind = 'decision'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
