using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Hosting;

/// <summary>GeoIP files replaced, corrupted or missing under a running gateway.</summary>
public sealed class GeoIpReloadTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string Database => _folder.PathOf("country.mmdb");

    public void Dispose() => _folder.Dispose();

    private Task<GatewayInstance> StartAsync() => GatewayInstance.StartAsync(upstream => $"""
        listeners:
          dataPlane: ["http://127.0.0.1:0"]
          admin: ["http://127.0.0.1:0"]
        geo:
          databases: ["{Database}"]
        models:
          - id: restricted
            classification: restricted
            allowedJurisdictions: [us]
          - id: open
        endpoints:
          - id: r
            model: restricted
            provider: anthropic
            baseUrl: {upstream}
            region: us-east
            apiKeyEnv: {GatewayInstance.UpstreamKeyVariable}
          - id: o
            model: open
            provider: anthropic
            baseUrl: {upstream}
            region: local
            apiKeyEnv: {GatewayInstance.UpstreamKeyVariable}
        """);

    /// <summary>Replaces the database the way an updater should: write beside it, then rename over it.</summary>
    private void Install(string source)
    {
        var staging = Database + ".new";
        File.Copy(source, staging, overwrite: true);
        File.Move(staging, Database, overwrite: true);
    }

    private static async Task<string?> CountryOfAsync(GatewayInstance gateway, string ip)
    {
        var decision = await ExplainAsync(gateway, "restricted", ip);
        return decision.Country;
    }

    private static async Task<DecisionView> ExplainAsync(GatewayInstance gateway, string model, string ip)
    {
        using var response = await gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest(ip, null, null, model, null), AdminJsonContext.Default.ExplainRequest);
        return (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;
    }

    private static async Task<(HttpStatusCode Status, ReadinessView View)> ReadyAsync(GatewayInstance gateway)
    {
        using var response = await gateway.Admin.GetAsync("/readyz");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.ReadinessView))!);
    }

    [Fact]
    public async Task ReplacedDatabase_IsPickedUpWithoutRestartOrAFailedRequest()
    {
        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await using var gateway = await StartAsync();
        Assert.Equal("US", await CountryOfAsync(gateway, "9.9.9.9"));
        Assert.Null(await CountryOfAsync(gateway, "2620:fe::fe"));

        using var traffic = new CancellationTokenSource();
        var statuses = new List<HttpStatusCode>();
        var load = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = new StringContent("""{"model":"open","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.ApiKey);
                using var response = await gateway.Client.SendAsync(request);
                statuses.Add(response.StatusCode);
            }
        });

        Install(BundledGeoIp.CountryDatabase);
        await Eventually.TrueAsync(async () => await CountryOfAsync(gateway, "2620:fe::fe") == "US");
        await traffic.CancelAsync();
        await load;

        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.StartsWith("ok", (await ReadyAsync(gateway)).View.Checks["geoip"]);
    }

    [Fact]
    public async Task CorruptReplacement_IsRejectedAndTheOldDataKept()
    {
        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await using var gateway = await StartAsync();

        await File.WriteAllTextAsync(Database, "not a database any more");
        await Eventually.TrueAsync(async () => (await ReadyAsync(gateway)).View.Checks["geoip"].StartsWith("stale", StringComparison.Ordinal));

        var (status, view) = await ReadyAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"{Database}: not a MaxMind database", view.Checks["geoip"]);
        Assert.Equal("US", await CountryOfAsync(gateway, "9.9.9.9"));

        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await Eventually.TrueAsync(async () => (await ReadyAsync(gateway)).View.Checks["geoip"].StartsWith("ok", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemovedDatabase_TurnsUnreadyWithTheReason_WhileTheLoadedDataKeepsDeciding()
    {
        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await using var gateway = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(gateway)).Status);

        File.Delete(Database);

        var (status, view) = await ReadyAsync(gateway);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not_ready", view.Status);
        Assert.StartsWith($"missing: {Database}: no such file; the data loaded at ", view.Checks["geoip"]);
        Assert.EndsWith("still decides, but the gateway would start without it: restore the file(s)", view.Checks["geoip"]);
        Assert.StartsWith("ok", view.Checks["storage"]);
        Assert.Equal("US", await CountryOfAsync(gateway, "9.9.9.9"));

        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await Eventually.TrueAsync(async () => (await ReadyAsync(gateway)).Status == HttpStatusCode.OK);
        Assert.StartsWith("ok", (await ReadyAsync(gateway)).View.Checks["geoip"]);
    }

    [Fact]
    public async Task NoDataAtStart_StartsUnreadyFailsClosedAndRecoversWhenTheFileArrives()
    {
        await using var gateway = await StartAsync();

        var (status, view) = await ReadyAsync(gateway);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not_ready", view.Status);
        Assert.Equal($"not loaded: {Database}: no such file; every caller's location is unknown, so restricted models are refused and embargoes cannot be applied", view.Checks["geoip"]);
        var denied = await ExplainAsync(gateway, "restricted", "9.9.9.9");
        Assert.Equal("geo.unknown_location", denied.ReasonCode);
        Assert.Contains("no GeoIP data is loaded", denied.Message);
        Assert.Equal("allowed", (await ExplainAsync(gateway, "open", "9.9.9.9")).ReasonCode);

        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await Eventually.TrueAsync(async () => (await ReadyAsync(gateway)).Status == HttpStatusCode.OK);
        Assert.Equal("allowed", (await ExplainAsync(gateway, "restricted", "9.9.9.9")).ReasonCode);
    }

    [Fact]
    public async Task RegionLevelEmbargo_NeedsSubdivisionData_AndReadinessSaysSoUntilItIsLoaded()
    {
        Install(BundledGeoIp.CountryDatabaseIPv4Only);
        await using var gateway = await StartAsync();

        var check = (await ReadyAsync(gateway)).View.Checks["geoip"];

        Assert.Contains("warning: jurisdiction 'embargoed' names regions (UA-09, UA-14, UA-40, UA-43) that only a database with subdivisions", check);

        var city = _folder.PathOf("city.mmdb");
        new MmdbWriter("GeoIP2-City").Add("203.0.113.0/24", new Dictionary<string, object>
        {
            ["country"] = new Dictionary<string, object> { ["iso_code"] = "UA" },
            ["subdivisions"] = new List<object> { new Dictionary<string, object> { ["iso_code"] = "43" } },
        }).Save(city);
        Install(city);
        await Eventually.TrueAsync(async () => !(await ReadyAsync(gateway)).View.Checks["geoip"].Contains("warning", StringComparison.Ordinal));
        Assert.Equal("geo.embargoed", (await ExplainAsync(gateway, "open", "203.0.113.9")).ReasonCode);
    }
}
