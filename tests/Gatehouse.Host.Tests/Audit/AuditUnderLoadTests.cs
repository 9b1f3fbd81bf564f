using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Engine.Audit;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Microsoft.Data.Sqlite;
using TestUpstream;
using Xunit.Abstractions;

namespace Gatehouse.Host.Tests.Audit;

/// <summary>
/// Nothing goes unrecorded: the gateway runs as its own process at full rate from many
/// connections — served and denied requests mixed, as the load script sends them — and every
/// response the clients received has its audit record, also after the process is killed with
/// SIGKILL mid-load and started again, and the chain verifies each time.
/// </summary>
[Trait("Category", "Load")]
public sealed class AuditUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Open = "llama-3.1-405b";
    private const string Restricted = "mythos-5";
    private const string UnitedKingdom = "81.2.69.142";
    private const int Connections = 16;
    private static readonly TimeSpan FullLoad = TimeSpan.FromSeconds(60);

    private readonly TemporaryFolder _folder = new();
    private StubUpstream _upstream = null!;
    private GatewayProcess? _gateway;

    /// <summary>Set before the kill: from then on a request may be cut off without an answer.</summary>
    private volatile bool _killing;
    private HttpClient _client = null!;
    private int _dataPort;
    private int _adminPort;

    private string Database => Path.Combine(_folder.Location, "gatehouse.db");

    public async Task InitializeAsync()
    {
        _upstream = await StubUpstream.StartAsync(GatewayInstance.UpstreamKey);
        (_dataPort, _adminPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        _folder.Write("gatehouse.yaml", $$"""
            listeners:
              dataPlane: ["http://127.0.0.1:{{_dataPort}}"]
              admin: ["http://127.0.0.1:{{_adminPort}}"]
            trustedProxies: ["127.0.0.1"]
            {{BundledGeoIp.Section()}}
            identity:
              autoSuspend: { outsideDenials: 0 }
            models:
              - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us] }
              - { id: {{Open}} }
            endpoints:
              - { id: mythos, model: {{Restricted}}, provider: anthropic, baseUrl: "{{_upstream.BaseUrl}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
              - { id: llama, model: {{Open}}, provider: anthropic, baseUrl: "{{_upstream.BaseUrl}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
            """);
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { BaseAddress = new Uri($"http://127.0.0.1:{_dataPort}") };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        Kill();
        await _upstream.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task<HttpClient> StartGatewayAsync()
    {
        _killing = false;
        _gateway = await GatewayProcess.StartAsync(Path.Combine(_folder.Location, "gatehouse.yaml"), _dataPort, _adminPort);
        await _gateway.AuthorizeAsync(Path.Combine(_folder.Location, "admin-token"));
        return _gateway.Admin;
    }

    private void Kill()
    {
        if (_gateway is { } gateway)
        {
            _killing = true;
            gateway.Dispose();
            _gateway = null;
        }
    }

    private static async Task<string> CreateKeyAsync(GatewayProcess gateway)
    {
        var organization = await gateway.PostAsync("/admin/v1/organizations", new CreateOrganizationRequest("Load"), AdminJsonContext.Default.OrganizationView);
        var account = await gateway.PostAsync("/admin/v1/accounts", GatewayInstance.UsAccount(organization.Id, "Load Tester"), AdminJsonContext.Default.AccountView);
        return (await gateway.PostAsync("/admin/v1/keys", new CreateApiKeyRequest(account.Id, "load"), AdminJsonContext.Default.CreatedApiKey)).Key;
    }

    /// <summary>
    /// Requests from <see cref="Connections"/> loops until <paramref name="stop"/>: two served for
    /// each one denied (the restricted model from the United Kingdom). Returns the request id of
    /// every response that arrived; requests cut off by a killed gateway have none.
    /// </summary>
    private async Task<ConcurrentBag<string>> LoadAsync(string key, CancellationToken stop)
    {
        var answered = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i++)
            {
                var denied = i % 3 == 0;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = new StringContent($$"""{"model":"{{(denied ? Restricted : Open)}}","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""",
                        Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-api-key", key);
                if (denied)
                {
                    request.Headers.Add("X-Forwarded-For", UnitedKingdom);
                }
                try
                {
                    using var response = await _client.SendAsync(request, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"unexpected {(int)response.StatusCode}");
                    answered.Add(response.Headers.GetValues("request-id").Single());
                }
                catch (HttpRequestException) when (_killing)
                {
                    return;
                }
            }
        })));
        return answered;
    }

    private async Task<HashSet<string>> RecordedRequestIdsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id FROM audit_log WHERE kind = 'decision'";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            Assert.True(ids.Add(reader.GetString(0)), $"request {reader.GetString(0)} was recorded twice");
        }
        return ids;
    }

    private static async Task<AuditVerification> VerifyAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;

    [Fact]
    public async Task AtFullRate_EveryResponseHasItsRecord_AlsoAcrossASigkill_AndTheChainVerifies()
    {
        var admin = await StartGatewayAsync();
        var key = await CreateKeyAsync(_gateway!);

        using (var stop = new CancellationTokenSource(FullLoad))
        {
            var answered = await LoadAsync(key, stop.Token);
            var recorded = await RecordedRequestIdsAsync();

            output.WriteLine($"{answered.Count} responses in {FullLoad.TotalSeconds} s, {recorded.Count} decisions recorded");
            Assert.True(answered.Count > 1000, $"only {answered.Count} responses in {FullLoad.TotalSeconds} s");
            Assert.Equal(answered.Count, recorded.Count);
            Assert.Subset(recorded, answered.ToHashSet());
            var verification = await VerifyAsync(admin);
            Assert.True(verification.Intact, verification.Summary);
        }

        using (var stop = new CancellationTokenSource())
        {
            var load = LoadAsync(key, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Kill();
            stop.Cancel();
            var answeredBeforeTheKill = await load;

            admin = await StartGatewayAsync();
            var recorded = await RecordedRequestIdsAsync();
            var verification = await VerifyAsync(admin);

            output.WriteLine($"{answeredBeforeTheKill.Count} responses before the kill; {recorded.Count} decisions recorded in all");
            Assert.NotEmpty(answeredBeforeTheKill);
            Assert.Subset(recorded, answeredBeforeTheKill.ToHashSet());
            Assert.True(verification.Intact, verification.Summary);
        }
    }
}
