using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Gatehouse.Engine.Usage;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Usage;

/// <summary>Daily budgets through the decision pipeline, on a controllable clock.</summary>
public sealed class BudgetDecisionTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Morning.UtcDateTime);

    private static readonly GatewayConfiguration Configuration = ConfigurationLoader.Parse("""
        models:
          - id: llama
            price: { input: 3, output: 15 }
        endpoints:
          - { id: llama-1, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: local }
        """, "/test.yaml", _ => null).Configuration!;

    private readonly FakeTimeProvider _clock = new(Morning);
    private readonly SpendLedger _ledger = new();

    private Decision Decide(string account = "acc_1", string organization = "org_1", bool explains = false)
    {
        var sut = DecisionPipeline.CreateDefault(FixedLocator.In("US"), _clock, spendLimits: _ledger);
        var principal = new Principal(null, new Account(account, organization, "Jo", null, Morning), new Organization(organization, "Org", Morning));
        return sut.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Loopback), principal, "llama", null) { Explains = explains }, Configuration);
    }

    private static Budget Daily(BudgetScope scope, string subject, decimal dollars) => new(scope, subject, Nanodollars.FromDollars(dollars), Morning, "gha_test (admin)");

    [Fact]
    public void NoBudget_Allows()
    {
        _ledger.Add("acc_1", "org_1", Today, Nanodollars.FromDollars(1_000m));

        Assert.Equal(ReasonCodes.Allowed, Decide().ReasonCode);
    }

    [Fact]
    public void AccountBudget_SpentPartwayThroughTheDay_RefusesUntilMidnight()
    {
        _ledger.SetBudgets([Daily(BudgetScope.Account, "acc_1", 10m)]);
        _ledger.Add("acc_1", "org_1", Today, Nanodollars.FromDollars(9.99m));
        Assert.Equal(ReasonCodes.Allowed, Decide().ReasonCode);

        _clock.Advance(TimeSpan.FromHours(5));
        _ledger.Add("acc_1", "org_1", Today, Nanodollars.FromDollars(0.01m));
        var refused = Decide();

        Assert.Equal(ReasonCodes.BudgetExceeded, refused.ReasonCode);
        Assert.Equal(403, refused.StatusCode);
        Assert.Equal(DecisionLayer.Budget, refused.Layer);
        Assert.Contains("Account acc_1 has spent $10.00 of its daily budget of $10.00", refused.Message);
        Assert.Contains("2026-11-24 00:00:00Z", refused.Message);
        Assert.Equal(ReasonCodes.Allowed, Decide(account: "acc_2").ReasonCode);

        _clock.Advance(TimeSpan.FromHours(10));
        Assert.Equal(ReasonCodes.Allowed, Decide().ReasonCode);
    }

    [Fact]
    public void OrganizationBudget_SpentByOneAccount_RefusesItsOtherAccounts()
    {
        _ledger.SetBudgets([Daily(BudgetScope.Organization, "org_1", 5m)]);
        _ledger.Add("acc_1", "org_1", Today, Nanodollars.FromDollars(3m));
        _ledger.Add("acc_2", "org_1", Today, Nanodollars.FromDollars(2m));

        var refused = Decide(account: "acc_3");

        Assert.Equal(ReasonCodes.BudgetExceeded, refused.ReasonCode);
        Assert.Contains("Organisation org_1 (of account acc_3) has spent $5.00", refused.Message);
        Assert.Equal(ReasonCodes.Allowed, Decide(account: "acc_9", organization: "org_2").ReasonCode);
    }

    [Fact]
    public void CostOfARequestDecidedYesterday_DoesNotCountToday()
    {
        _ledger.SetBudgets([Daily(BudgetScope.Account, "acc_1", 1m)]);
        _ledger.Add("acc_1", "org_1", Today, 0);

        _ledger.Add("acc_1", "org_1", Today.AddDays(-1), Nanodollars.FromDollars(50m));

        Assert.Equal(0, _ledger.SpentToday("acc_1", Morning));
        Assert.Equal(ReasonCodes.Allowed, Decide().ReasonCode);
    }

    [Fact]
    public void Explain_WithinBudget_SaysSoInTheTrace()
    {
        _ledger.SetBudgets([Daily(BudgetScope.Account, "acc_1", 1m)]);

        var decision = Decide(explains: true);

        Assert.Contains(decision.Trace, t => t.Rule == "budget.daily" && t.Outcome == "within");
    }

    [Fact]
    public void Exhausted_WithinBudget_AllocatesNothing()
    {
        _ledger.SetBudgets([Daily(BudgetScope.Account, "acc_1", 10m), Daily(BudgetScope.Organization, "org_1", 10m)]);
        _ledger.Add("acc_1", "org_1", Today, 5);
        _ledger.Exhausted("acc_1", "org_1", Morning);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ledger.Exhausted("acc_1", "org_1", Morning);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(1_000_000, 0, 3, 3_000_000_000)]
    [InlineData(0, 1, 15, 15_000)]
    [InlineData(7, 3, 0.15, 1_500)]
    public void CostOf_PricePerMillionTokens_InNanodollars(long input, long output, decimal price, long expected)
    {
        Assert.Equal(expected, new ModelPrice(price, price).CostOf(new TokenUsage(input, output)));
    }

    [Theory]
    [InlineData(0, "$0.00")]
    [InlineData(12_345_000_000, "$12.35")]
    [InlineData(45_000, "$0.000045")]
    [InlineData(1_234_567_000_000_000, "$1,234,567.00")]
    public void Format_ShowsCentsOrTheSmallAmount(long nanodollars, string expected)
    {
        Assert.Equal(expected, Nanodollars.Format(nanodollars));
    }
}
