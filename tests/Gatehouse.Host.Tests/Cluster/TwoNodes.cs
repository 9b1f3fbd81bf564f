using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Storage.Tests;
using TestUpstream;

namespace Gatehouse.Host.Tests.Cluster;

/// <summary>
/// Two gateway processes on loopback sharing one PostgreSQL database and one Redis, as two nodes
/// behind a load balancer would; each keeps its own state folder.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public const string Restricted = "mythos-5";
    public const string Open = "llama-3.1-405b";
    public const string UnitedStates = "9.9.9.9";
    public const string UnitedKingdom = "81.2.69.142";

    private readonly TemporaryFolder _folder = new();
    private readonly string _redisPrefix = TestRedis.NewPrefix();

    internal TestDatabase Database { get; private set; } = null!;
    public StubUpstream Upstream { get; private set; } = null!;
    internal GatewayProcess A { get; private set; } = null!;
    internal GatewayProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Upstream = await StubUpstream.StartAsync(GatewayInstance.UpstreamKey);
        // One after the other: the first migrates the database and writes the admin token.
        A = await StartNodeAsync("a");
        B = await StartNodeAsync("b");
        var token = Path.Combine(_folder.Location, "a", "admin-token");
        await A.AuthorizeAsync(token);
        await B.AuthorizeAsync(token);
    }

    private async Task<GatewayProcess> StartNodeAsync(string name)
    {
        var (dataPort, adminPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        _folder.Write($"{name}.yaml", $$"""
            listeners:
              dataPlane: ["http://127.0.0.1:{{dataPort}}"]
              admin: ["http://127.0.0.1:{{adminPort}}"]
            trustedProxies: ["127.0.0.1"]
            {{BundledGeoIp.Section()}}
            storage:
              provider: postgres
              connectionString: "{{Database.ConnectionString}}"
              stateDirectory: {{name}}
            {{TestRedis.Section(TestRedis.Server, _redisPrefix)}}
            models:
              - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us] }
              - { id: {{Open}} }
            endpoints:
              - { id: mythos, model: {{Restricted}}, provider: anthropic, baseUrl: "{{Upstream.BaseUrl}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
              - { id: llama, model: {{Open}}, provider: anthropic, baseUrl: "{{Upstream.BaseUrl}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
            """);
        return await GatewayProcess.StartAsync(Path.Combine(_folder.Location, $"{name}.yaml"), dataPort, adminPort);
    }

    public async Task DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        _folder.Dispose();
    }

    /// <summary>A new organisation, a verified US account in it and a key, made through <paramref name="node"/>.</summary>
    internal static async Task<(string OrganizationId, string AccountId, CreatedApiKey Key)> CallerAsync(GatewayProcess node, RateLimitView? rateLimit = null)
    {
        var organization = await node.PostAsync("/admin/v1/organizations", new CreateOrganizationRequest("Two nodes"), AdminJsonContext.Default.OrganizationView);
        var account = await node.PostAsync("/admin/v1/accounts", GatewayInstance.UsAccount(organization.Id, "Node Tester"), AdminJsonContext.Default.AccountView);
        var key = await node.PostAsync("/admin/v1/keys", new CreateApiKeyRequest(account.Id, "two nodes", RateLimit: rateLimit), AdminJsonContext.Default.CreatedApiKey);
        return (organization.Id, account.Id, key);
    }

    /// <summary>Calls <paramref name="node"/>'s data plane from <paramref name="from"/>.</summary>
    internal static Task<GateCalls.Answer> SendAsync(GatewayProcess node, string key, string model, string from = UnitedStates) =>
        GateCalls.SendAsync(node.Data, key, from, model);
}
