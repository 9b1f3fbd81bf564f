using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Observability;

/// <summary><c>/metrics</c> scraped from a real gateway and parsed, around real allowed and denied requests.</summary>
public sealed class MetricsTests
{
    private static readonly string[] Stages = ["account", "budget", "model", "geo", "identity", "routing", "policy"];
    private static readonly string[] Snapshots = ["configuration", "identity", "geoip", "sanctions"];

    private static Task<GatewayInstance> StartAsync(string observability = "") =>
        GatewayInstance.StartAsync(upstream => ObservedGateway.Configuration(upstream, observability));

    private static async Task<PrometheusText> ScrapeAsync(GatewayInstance gateway)
    {
        // No credentials: what a Prometheus scraper sends.
        using var scraper = new HttpClient { BaseAddress = gateway.AdminUrl };
        using var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrape_AfterAllowedAndDeniedRequests_CountsEachDecisionByReasonAndLayer()
    {
        await using var gateway = await StartAsync();
        var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);
        var before = await ScrapeAsync(gateway);
        (string, string)[] denied = [("effect", "deny"), ("reason", "geo.country_restricted"), ("layer", "geo")];
        (string, string)[] allowed = [("effect", "allow"), ("reason", "allowed"), ("layer", "routing")];

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await calls.SendAsync(gateway.ApiKey, ObservedGateway.UnitedKingdom, "restricted")).Status);
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(gateway.ApiKey, ObservedGateway.UnitedStates, "restricted")).Status);
        }
        var after = await ScrapeAsync(gateway);

        Assert.Equal("counter", after.Types["gatehouse_decisions_total"]);
        Assert.Equal(3, after.ValueOf("gatehouse_decisions_total", denied) - before.ValueOf("gatehouse_decisions_total", denied));
        Assert.Equal(2, after.ValueOf("gatehouse_decisions_total", allowed) - before.ValueOf("gatehouse_decisions_total", allowed));
        Assert.Equal(5, after.Named("gatehouse_decisions_total").Sum(s => s.Value));
        // Bounded labels only: nothing that names a caller.
        Assert.All(after.Named("gatehouse_decisions_total"), s => Assert.DoesNotContain(s.Labels.Values, v => v.Contains(ObservedGateway.UnitedKingdom) || v.Contains(gateway.ApiKeyId)));

        Assert.Equal("histogram", after.Types["gatehouse_decision_stage_duration_seconds"]);
        foreach (var stage in Stages)
        {
            var buckets = after.Named("gatehouse_decision_stage_duration_seconds_bucket").Where(s => s.Has(("stage", stage))).ToList();
            Assert.True(buckets.Count > 2, $"stage {stage} has no buckets");
            Assert.Equal(buckets.Select(b => b.Value), buckets.Select(b => b.Value).Order());
            var count = after.ValueOf("gatehouse_decision_stage_duration_seconds_count", ("stage", stage));
            Assert.Equal(count, buckets.Single(b => b.Has(("le", "+Inf"))).Value);
            // Every request passes the first three stages; the two allowed ones pass them all.
            Assert.True(count >= (Array.IndexOf(Stages, stage) <= 2 ? 5 : 2), $"stage {stage} was timed {count} times");
        }

        Assert.Equal("histogram", after.Types["gatehouse_upstream_duration_seconds"]);
        Assert.Equal(2, after.ValueOf("gatehouse_upstream_duration_seconds_count", ("endpoint", ObservedGateway.Endpoint), ("status_class", "2xx")));
        Assert.True(after.ValueOf("gatehouse_upstream_duration_seconds_sum", ("endpoint", ObservedGateway.Endpoint), ("status_class", "2xx")) > 0);

        // Every decision is committed to the audit log before it takes effect, in batches of one or more.
        Assert.Equal("histogram", after.Types["gatehouse_audit_commit_duration_seconds"]);
        var commits = after.ValueOf("gatehouse_audit_commit_duration_seconds_count", ("outcome", "committed"));
        Assert.InRange(commits - before.ValueOf("gatehouse_audit_commit_duration_seconds_count", ("outcome", "committed")), 1, 5);
        Assert.Equal(0, after.ValueOf("gatehouse_audit_commit_duration_seconds_count", ("outcome", "failed")));
        Assert.Equal("gauge", after.Types["gatehouse_audit_queue_depth"]);
        Assert.InRange(Assert.Single(after.Named("gatehouse_audit_queue_depth")).Value, 0, 5);

        Assert.Equal("gauge", after.Types["gatehouse_snapshot_age_seconds"]);
        foreach (var snapshot in Snapshots)
        {
            var age = Assert.Single(after.Named("gatehouse_snapshot_age_seconds"), s => s.Has(("snapshot", snapshot)));
            Assert.InRange(age.Value, 0, 600);
        }
    }

    [Fact]
    public async Task Metrics_OnTheDataPlane_IsNotFound()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenConfiguredToRequireAToken_RefusesAScrapeWithoutOne()
    {
        await using var gateway = await StartAsync("observability: { metricsRequireToken: true }");
        using var anonymous = new HttpClient { BaseAddress = gateway.AdminUrl };
        using var dataPlaneKey = new HttpClient { BaseAddress = gateway.AdminUrl };
        dataPlaneKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", gateway.ApiKey);

        using var withoutToken = await anonymous.GetAsync("/metrics");
        using var withKey = await dataPlaneKey.GetAsync("/metrics");
        using var withToken = await gateway.Admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains("gatehouse_snapshot_age_seconds", await withToken.Content.ReadAsStringAsync());
    }
}
