using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Host.Tests.Usage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gatehouse.Host.Tests.Counters;

/// <summary>The real gateway with a <c>redis</c> section: its counters are in Redis, and rate limits and budgets answer as without it.</summary>
public sealed class RedisGatewayTests
{
    private const string UsResidential = "9.9.9.9";
    private const string Restricted = GateModels.Restricted;
    private const string RestrictedOpenAI = GateModels.RestrictedOpenAI;
    private const string Open = GateModels.Open;

    /// <summary>A gateway behind the trusted proxy with the gate tests' models.</summary>
    private static Task<GatewayInstance> StartAsync(string redisSection) => GatewayInstance.StartAsync(upstream => $$"""
        {{GatewayInstance.BehindTrustedProxy}}
        {{redisSection}}
        {{GateModels.Sections(upstream)}}
        """);

    private static async Task<(HttpStatusCode Status, ReadinessView View)> ReadyAsync(GatewayInstance gateway)
    {
        using var response = await gateway.Client.GetAsync("/readyz");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.ReadinessView))!);
    }

    [Fact]
    public async Task RateLimit_WithRedis_Is429WithRetryAfter_CountedInRedis()
    {
        var prefix = TestRedis.NewPrefix();
        await using var gateway = await StartAsync(TestRedis.Section(TestRedis.Server, prefix));
        var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);
        var caller = await calls.CallerAsync(key: new CreateApiKeyRequest(null, null, RateLimit: new RateLimitView(2, "1m")));

        var answers = new List<GateCalls.Answer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await calls.SendAsync(caller.Key, UsResidential, i == 2 ? RestrictedOpenAI : Restricted, openAI: i == 2));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.Status));
        Assert.InRange(int.Parse(answers[2].Response.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(("rate_limit_error", "rate_limit_exceeded"), ((string)answers[2].Body["error"]!["type"]!, (string)answers[2].Body["error"]!["code"]!));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Server);
        Assert.Equal(3L, (long)await redis.GetDatabase().StringGetAsync($"{prefix}rate:{caller.KeyId}:2:60000"));
        var (status, view) = await ReadyAsync(gateway);
        Assert.Equal((HttpStatusCode.OK, $"ok: {TestRedis.Server}"), (status, view.Checks["redis"]));
    }

    [Fact]
    public async Task Budget_WithRedis_RefusesOnceSpent_AndTheSpendIsInRedis()
    {
        var prefix = TestRedis.NewPrefix();
        var sut = new MeteringGateway(await GatewayInstance.StartAsync(u => MeteringGateway.Configuration(u, anthropicPrice: 1000m) + "\n" + TestRedis.Section(TestRedis.Server, prefix)));
        await using var gateway = sut.Gateway;
        var caller = await sut.CallerAsync();
        using var budget = await gateway.Admin.PutAsJsonAsync($"/admin/v1/budgets/accounts/{caller.AccountId}", new SetBudgetRequest(0.1m, "test"), AdminJsonContext.Default.SetBudgetRequest);
        budget.EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await sut.SendAsync(caller, MeteringGateway.AnthropicModel)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sut.SendAsync(caller, MeteringGateway.AnthropicModel)).Response.StatusCode);
        var (refused, body) = await sut.SendAsync(caller, MeteringGateway.OpenAIModel, openAI: true);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("budget.exceeded", (string?)JsonNode.Parse(body)!["error"]!["code"]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Server);
        var key = $"{prefix}spend:{Engine.Usage.SpendLedger.DayOf(TimeProvider.System.GetUtcNow()):yyyy-MM-dd}:{caller.AccountId}";
        await Eventually.TrueAsync(async () => (long)await redis.GetDatabase().StringGetAsync(key) == 2 * 57_000_000L, seconds: 5);
    }

    /// <summary>
    /// A Redis of the test's own, stopped and started again: restricted models are refused with
    /// <c>counters.unavailable</c> while it is gone (recorded, counted, explained), open models are
    /// served, <c>/readyz</c> stays ready and says why, and service returns with Redis.
    /// </summary>
    [Fact]
    public async Task RedisStops_RefuseRestricted_RefusesRestrictedModels_ServesOpenOnes_UntilItIsBack()
    {
        await using var redis = await DedicatedRedis.StartAsync();
        await using var gateway = await StartAsync(TestRedis.Section(redis.Server, TestRedis.NewPrefix()));
        var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);
        var caller = await calls.CallerAsync(key: new CreateApiKeyRequest(null, null, RateLimit: new RateLimitView(1000, "1m")));
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(caller.Key, UsResidential, Restricted)).Status);
        Assert.Equal($"ok: {redis.Server}", (await ReadyAsync(gateway)).View.Checks["redis"]);

        await redis.StopAsync();

        await Eventually.TrueAsync(async () => (await calls.SendAsync(caller.Key, UsResidential, Restricted)).Status == HttpStatusCode.ServiceUnavailable, seconds: 10);
        var anthropic = await calls.SendAsync(caller.Key, UsResidential, Restricted);
        var openAI = await calls.SendAsync(caller.Key, UsResidential, RestrictedOpenAI, openAI: true);
        var open = await calls.SendAsync(caller.Key, UsResidential, Open);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "counters.unavailable", "api_error"), (anthropic.Status, anthropic.Reason, (string)anthropic.Body["error"]!["type"]!));
        Assert.StartsWith($"{Restricted} is not served for the moment: this gateway cannot reach the store its nodes share", anthropic.Message);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "counters.unavailable"), (openAI.Status, (string)openAI.Body["error"]!["code"]!));
        Assert.Equal(TimeSpan.FromSeconds(2), anthropic.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, open.Status);

        var (status, view) = await ReadyAsync(gateway);
        Assert.Equal((HttpStatusCode.OK, "ready"), (status, view.Status));
        Assert.StartsWith($"unreachable: {redis.Server} since ", view.Checks["redis"]);
        Assert.Contains("requests for restricted models are refused with counters.unavailable; open models are served", view.Checks["redis"]);
        Assert.EndsWith("(onUnavailable: refuseRestricted)", view.Checks["redis"]);

        using var explain = await gateway.Admin.PostAsync("/admin/v1/decisions/explain",
            new StringContent($$"""{"model":"{{Restricted}}","ip":"{{UsResidential}}","keyId":"{{caller.KeyId}}"}""", Encoding.UTF8, "application/json"));
        var explained = JsonNode.Parse(await explain.Content.ReadAsStringAsync())!;
        Assert.Equal(("counters.unavailable", "counters"), ((string)explained["reasonCode"]!, (string)explained["layer"]!));
        var audited = await gateway.Admin.GetFromJsonAsync($"/admin/v1/audit/records?reason=counters.unavailable&accountId={caller.AccountId}", AdminJsonContext.Default.AuditRecordPage);
        Assert.Equal(3, audited!.Records.Count(r => r.Layer == "counters"));
        var metrics = PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics"));
        Assert.Equal(0, metrics.ValueOf("gatehouse_redis_reachable"));
        Assert.True(metrics.ValueOf("gatehouse_redis_failures_total") >= 1);
        Assert.Equal(3, metrics.ValueOf("gatehouse_decisions_total", ("reason", "counters.unavailable"), ("layer", "counters")));

        await redis.StartAgainAsync();

        await Eventually.TrueAsync(async () => (await calls.SendAsync(caller.Key, UsResidential, Restricted)).Status == HttpStatusCode.OK, seconds: 15);
        Assert.Equal($"ok: {redis.Server}", (await ReadyAsync(gateway)).View.Checks["redis"]);
        Assert.Equal(1, PrometheusText.Parse(await gateway.Admin.GetStringAsync("/metrics")).ValueOf("gatehouse_redis_reachable"));
    }

    [Fact]
    public async Task RedisDownAtStart_RefuseAll_StartsAnyway_RefusesEverything_AndIsNotReady()
    {
        var server = $"127.0.0.1:{TestRedis.ClosedPort()}";
        await using var gateway = await StartAsync(TestRedis.Section(server, TestRedis.NewPrefix(), "refuseAll"));
        var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);

        var open = await calls.SendAsync(gateway.ApiKey, UsResidential, Open);
        using var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        models.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", gateway.ApiKey);
        using var listing = await gateway.Client.SendAsync(models);
        var (status, view) = await ReadyAsync(gateway);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "counters.unavailable"), (open.Status, open.Reason));
        Assert.StartsWith("This request is refused for the moment", open.Message);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.StatusCode);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not_ready"), (status, view.Status));
        Assert.Contains("every request is refused with counters.unavailable (onUnavailable: refuseAll)", view.Checks["redis"]);
    }

    [Fact]
    public async Task RedisDownAtStart_CountLocally_ServesEverything_ReadyAndSaysSo()
    {
        var server = $"127.0.0.1:{TestRedis.ClosedPort()}";
        await using var gateway = await StartAsync(TestRedis.Section(server, TestRedis.NewPrefix(), "countLocally"));
        var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);
        var caller = await calls.CallerAsync(key: new CreateApiKeyRequest(null, null, RateLimit: new RateLimitView(1, "1m")));

        var restricted = await calls.SendAsync(caller.Key, UsResidential, Restricted);
        var limited = await calls.SendAsync(caller.Key, UsResidential, Open);
        var (status, view) = await ReadyAsync(gateway);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], [restricted.Status, limited.Status]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith($"unreachable: {server} since ", view.Checks["redis"]);
        Assert.Contains("every request is served, with rate limits, budgets and suspension counts kept by this node alone", view.Checks["redis"]);
    }

    [Fact]
    public async Task Start_OptionStackExchangeRedisDoesNotKnow_FailsNamingTheField()
    {
        var failure = await Assert.ThrowsAsync<Engine.Configuration.ConfigurationException>(() =>
            StartAsync(TestRedis.Section($"{TestRedis.Server},notAnOption=1", TestRedis.NewPrefix())));

        Assert.Equal("redis.configuration", Assert.Single(failure.Errors).Field);
        Assert.Contains("notAnOption", failure.Message);
    }

    [Fact]
    public async Task Password_FromTheEnvironment_GoesToRedisOnly_NeverToTheLogsReadinessOrMetrics()
    {
        const string Password = "RedisPasswordNeverToBeLogged0123456789";
        const string Variable = "GH_TEST_REDIS_PASSWORD";
        await using var redis = await DedicatedRedis.StartAsync(Password);
        var capture = new CapturingLoggerProvider();
        var seen = new List<string>();
        async Task<GatewayInstance> StartWithAsync(string password) => await GatewayInstance.StartAsync(upstream => $$"""
            {{GatewayInstance.BehindTrustedProxy}}
            {{TestRedis.Section(redis.Server, TestRedis.NewPrefix())}}
              passwordEnv: {{Variable}}
            {{GateModels.Sections(upstream)}}
            """, logging: logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(capture);
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        }, variables: new Dictionary<string, string> { [Variable] = password });

        await using (var gateway = await StartWithAsync(Password))
        {
            var calls = new GateCalls(gateway, gateway.ViaTrustedProxy);
            Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(gateway.ApiKey, UsResidential, Restricted)).Status);
            var (_, view) = await ReadyAsync(gateway);
            Assert.Equal($"ok: {redis.Server}", view.Checks["redis"]);
            seen.Add(await gateway.Client.GetStringAsync("/readyz"));
            seen.Add(await gateway.Admin.GetStringAsync("/metrics"));
        }
        await using (var refused = await StartWithAsync("NotTheRightOne"))
        {
            var calls = new GateCalls(refused, refused.ViaTrustedProxy);
            var answer = await calls.SendAsync(refused.ApiKey, UsResidential, Restricted);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "counters.unavailable"), (answer.Status, answer.Reason));
            Assert.StartsWith($"unreachable: {redis.Server} since ", (await ReadyAsync(refused)).View.Checks["redis"]);
            seen.Add(await refused.Client.GetStringAsync("/readyz"));
            seen.Add(answer.Body.ToJsonString());
        }

        Assert.Contains("Counters are shared through Redis at", capture.Text());
        Assert.Contains($"Redis at {redis.Server} is unreachable", capture.Text());
        Assert.All(seen.Append(capture.Text()), text => Assert.DoesNotContain(Password, text));
    }
}
