using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Host.Usage;
using Gatehouse.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Host.Tests.Usage;

/// <summary>Daily budgets through a real gateway whose clock the tests move.</summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    // 1000 dollars per million tokens in, 5000 out: one stub reply (12 in, 9 out) costs $0.057.
    private const decimal RequestCost = (12 * 1000m + 9 * 5000m) / 1_000_000m;

    private readonly FakeTimeProvider _clock = new(Start);
    private MeteringGateway _sut = null!;

    public async Task InitializeAsync() =>
        _sut = new MeteringGateway(await GatewayInstance.StartAsync(u => MeteringGateway.Configuration(u, anthropicPrice: 1000m), services => services.AddSingleton<TimeProvider>(_clock)));

    public async Task DisposeAsync() => await _sut.Gateway.DisposeAsync();

    private async Task<HttpResponseMessage> SetBudgetAsync(string scope, string id, decimal? dollars, HttpClient? admin = null) =>
        await (admin ?? _sut.Gateway.Admin).PutAsJsonAsync($"/admin/v1/budgets/{scope}/{id}", new SetBudgetRequest(dollars, "test budget"), AdminJsonContext.Default.SetBudgetRequest);

    private async Task<HttpStatusCode> SendAsync(MeteringGateway.Caller caller, bool openAI = false) =>
        (await _sut.SendAsync(caller, openAI ? MeteringGateway.OpenAIModel : MeteringGateway.AnthropicModel, openAI)).Response.StatusCode;

    [Fact]
    public async Task AccountBudget_SpentMidDay_RefusesInTheCallersDialect_OthersUnaffected_AndWorksAgainTheNextDay()
    {
        var spender = await _sut.CallerAsync();
        var other = await _sut.CallerAsync();
        (await SetBudgetAsync("accounts", spender.AccountId, 0.15m)).EnsureSuccessStatusCode();

        // $0.057 and $0.114 are under the budget; the third request passes too (in flight, it may overshoot) and spends it.
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(spender));
        }

        var (anthropic, anthropicBody) = await _sut.SendAsync(spender, MeteringGateway.AnthropicModel);
        Assert.Equal(HttpStatusCode.Forbidden, anthropic.StatusCode);
        Assert.StartsWith("budget.exceeded;", anthropic.Headers.GetValues("gatehouse-decision").Single());
        var error = JsonNode.Parse(anthropicBody)!["error"]!;
        Assert.Equal("permission_error", (string?)error["type"]);
        Assert.Equal($"Account {spender.AccountId} has spent ${3 * RequestCost:0.00} of its daily budget of $0.15 today (UTC), so its requests are refused until the budget " +
            "starts again at 2026-11-24 00:00:00Z. Contact your administrator to raise it.", (string?)error["message"]);
        var (openAI, openAIBody) = await _sut.SendAsync(spender, MeteringGateway.OpenAIModel, openAI: true);
        Assert.Equal(HttpStatusCode.Forbidden, openAI.StatusCode);
        Assert.Equal("budget.exceeded", (string?)JsonNode.Parse(openAIBody)!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(other));
        var budget = Assert.Single(await BudgetsAsync(), b => b.SubjectId == spender.AccountId);
        Assert.Equal((true, 3 * RequestCost, new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)), (budget.Exhausted, budget.SpentTodayUsd, budget.ResetsAt));

        _clock.Advance(TimeSpan.FromHours(13));

        Assert.Equal(HttpStatusCode.OK, await SendAsync(spender));
        var days = await _sut.UsageAsync($"accountId={spender.AccountId}&by=day&from=2026-11-23&to=2026-11-24");
        Assert.Equal([(new DateOnly(2026, 11, 23), 3L, 3 * RequestCost), (new DateOnly(2026, 11, 24), 1L, RequestCost)],
            days.Rows.Select(r => (r.Day!.Value, r.Requests, r.CostUsd)));
    }

    [Fact]
    public async Task OrganizationBudget_SpentByOneAccount_RefusesTheOthers()
    {
        var first = await _sut.CallerAsync();
        var second = await _sut.CallerAsync(first.OrganizationId);
        (await SetBudgetAsync("organizations", first.OrganizationId, 0.1m)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, await SendAsync(first));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(first));
        var (refused, body) = await _sut.SendAsync(second, MeteringGateway.AnthropicModel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"Organisation {first.OrganizationId} (of account {second.AccountId}) has spent ${2 * RequestCost:0.00} of its daily budget of $0.10", body);

        (await _sut.Gateway.Admin.DeleteAsync($"/admin/v1/budgets/organizations/{first.OrganizationId}?comment=lifted")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(second));
    }

    [Fact]
    public async Task BudgetChanges_AreAudited_AndOnlyAdminsMakeThem()
    {
        var caller = await _sut.CallerAsync();
        (await SetBudgetAsync("accounts", caller.AccountId, 5m)).EnsureSuccessStatusCode();
        (await SetBudgetAsync("accounts", caller.AccountId, 7.5m)).EnsureSuccessStatusCode();
        (await _sut.Gateway.Admin.DeleteAsync($"/admin/v1/budgets/accounts/{caller.AccountId}")).EnsureSuccessStatusCode();

        var audit = await _sut.Gateway.Admin.GetFromJsonAsync($"/admin/v1/audit?targetId={caller.AccountId}", AdminJsonContext.Default.ListAuditEntry);
        Assert.Equal(["budget.remove: dailyLimitUsd: 7.50 → -", "budget.set: dailyLimitUsd: 5.00 → 7.50", "budget.set: dailyLimitUsd: - → 5.00"],
            audit!.Where(e => e.Action.StartsWith("budget.", StringComparison.Ordinal)).Select(e => $"{e.Action}: {e.Changes}"));
        var chained = (await _sut.Gateway.Admin.GetFromJsonAsync("/admin/v1/audit/records?kind=admin&limit=1000", AdminJsonContext.Default.AuditRecordPage))!.Records;
        Assert.Equal(["budget.set", "budget.set", "budget.remove"], chained.Where(r => r.TargetId == caller.AccountId && r.Action!.StartsWith("budget.", StringComparison.Ordinal)).Select(r => r.Action));

        var auditor = await new GateCalls(_sut.Gateway, _sut.Gateway.Client).AdminWithRoleAsync("auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await SetBudgetAsync("accounts", caller.AccountId, 1m, auditor)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/admin/v1/budgets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/admin/v1/usage")).StatusCode);
    }

    [Theory]
    [InlineData(null, "dailyLimitUsd")]
    [InlineData(0, "dailyLimitUsd")]
    [InlineData(-3, "dailyLimitUsd")]
    public async Task SetBudget_BadLimit_Is400NamingTheField(int? dollars, string field)
    {
        var caller = await _sut.CallerAsync();

        using var response = await SetBudgetAsync("accounts", caller.AccountId, dollars);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("accounts", "acc_nobody")]
    [InlineData("organizations", "org_nobody")]
    [InlineData("keys", "gh_x")]
    public async Task SetBudget_UnknownSubject_Is404(string scope, string id)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SetBudgetAsync(scope, id, 1m)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sut.Gateway.Admin.DeleteAsync($"/admin/v1/budgets/{scope}/{id}")).StatusCode);
    }

    /// <summary>A restarted gateway knows its budgets and what was spent today before it stopped.</summary>
    [Fact]
    public async Task Load_RestoresBudgetsAndTodaysSpend()
    {
        var path = Path.Combine(_sut.Gateway.Directory, "restart.db");
        var store = new SqliteStore(path);
        await store.MigrateAsync(CancellationToken.None);
        var audit = new AuditEntry("aud_1", Start, "gha_1 (admin)", "budget.set", "acc_1", "", null);
        await store.SaveBudgetAsync(new Budget(BudgetScope.Account, "acc_1", Nanodollars.FromDollars(1m), Start, "gha_1 (admin)"), audit, CancellationToken.None);
        await store.AddUsageAsync([
            KeyValuePair.Create(new UsageKey(DateOnly.FromDateTime(Start.UtcDateTime), "acc_1", "org_1", "m"), new UsageAmount(3, 0, 1, 1, Nanodollars.FromDollars(0.6m))),
            KeyValuePair.Create(new UsageKey(DateOnly.FromDateTime(Start.UtcDateTime), "acc_2", "org_1", "m"), new UsageAmount(1, 0, 1, 1, Nanodollars.FromDollars(0.4m))),
            KeyValuePair.Create(new UsageKey(DateOnly.FromDateTime(Start.UtcDateTime).AddDays(-1), "acc_1", "org_1", "m"), new UsageAmount(1, 0, 1, 1, Nanodollars.FromDollars(9m))),
        ], CancellationToken.None);
        var ledger = new SpendLedger();

        await new BudgetAdministration(store, ledger, _sut.Gateway.Service<SharedSpend>(), _clock, _sut.Gateway.Service<Gatehouse.Host.Audit.AuditWriter>()).LoadAsync(CancellationToken.None);

        Assert.Equal(Nanodollars.FromDollars(0.6m), ledger.SpentToday("acc_1", Start));
        Assert.Equal(Nanodollars.FromDollars(1m), ledger.SpentToday("org_1", Start));
        Assert.Null(ledger.Exhausted("acc_1", "org_1", Start));
        ledger.Add("acc_1", "org_1", DateOnly.FromDateTime(Start.UtcDateTime), Nanodollars.FromDollars(0.4m));
        Assert.NotNull(ledger.Exhausted("acc_1", "org_1", Start));
    }

    private async Task<List<BudgetView>> BudgetsAsync() =>
        (await _sut.Gateway.Admin.GetFromJsonAsync("/admin/v1/budgets", AdminJsonContext.Default.ListBudgetView))!;
}
