using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;

namespace Gatehouse.Engine.Tests.Decisions;

/// <summary>What each <c>redis.onUnavailable</c> serves while the shared counters are out of reach.</summary>
public sealed class CountersStageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly GatewayConfiguration Configuration = ConfigurationLoader.Parse("""
        models:
          - { id: mythos, classification: restricted, allowedJurisdictions: [us] }
          - { id: llama }
        endpoints:
          - { id: m, model: mythos, provider: anthropic, baseUrl: "http://127.0.0.1:8000", region: us-east }
          - { id: l, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8001", region: local }
        """, "/test.yaml", _ => null).Configuration!;

    private sealed class Counters(CounterSharing sharing, CountersUnavailableAction onUnavailable) : ISharedCounters
    {
        public CounterSharing Sharing => sharing;

        public CountersUnavailableAction OnUnavailable => onUnavailable;
    }

    private static Decision Decide(string model, CounterSharing sharing, CountersUnavailableAction onUnavailable = CountersUnavailableAction.RefuseRestricted, bool explains = false)
    {
        var sut = DecisionPipeline.CreateDefault(FixedLocator.In("US"), TimeProvider.System, sharedCounters: new Counters(sharing, onUnavailable));
        var account = new Account("acc_1", "org_1", "Jo", null, Now)
        {
            Kyc = new KycProfile
            {
                Billing = new BillingAddress(null, null, null, null, "US"),
                CardCountry = "US",
                RegisteredCountry = "US",
                Verification = VerificationStatus.Verified,
            },
        };
        var principal = new Principal(null, account, new Organization("org_1", "Org", Now));
        return sut.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Loopback), principal, model, null) { Explains = explains }, Configuration);
    }

    [Fact]
    public void Shared_ServesEveryModel()
    {
        Assert.Equal([ReasonCodes.Allowed, ReasonCodes.Allowed], new[] { "mythos", "llama" }.Select(m => Decide(m, CounterSharing.Shared, CountersUnavailableAction.RefuseAll).ReasonCode));
    }

    [Fact]
    public void Unreachable_RefuseRestricted_Refuses503ForRestrictedModels_ServesOpenOnes()
    {
        var refused = Decide("mythos", CounterSharing.Unreachable);
        var open = Decide("llama", CounterSharing.Unreachable);

        Assert.Equal((ReasonCodes.CountersUnavailable, 503, DecisionLayer.Counters, "counters.shared"), (refused.ReasonCode, refused.StatusCode, refused.Layer, refused.Rule));
        Assert.StartsWith("mythos is not served for the moment: this gateway cannot reach the store its nodes share rate limits, budgets and suspension counts through", refused.Message);
        Assert.Contains("Try again shortly", refused.Message);
        Assert.Equal(ReasonCodes.Allowed, open.ReasonCode);
        Assert.Contains(open.Trace, t => (t.Rule, t.Outcome) == ("counters.shared", "local") && t.Detail.Contains("redis.onUnavailable: refuseRestricted"));
    }

    [Fact]
    public void Unreachable_RefuseAll_RefusesEveryModel_CountLocally_ServesEveryModel()
    {
        Assert.Equal([ReasonCodes.CountersUnavailable, ReasonCodes.CountersUnavailable],
            new[] { "mythos", "llama" }.Select(m => Decide(m, CounterSharing.Unreachable, CountersUnavailableAction.RefuseAll).ReasonCode));
        Assert.Equal([ReasonCodes.Allowed, ReasonCodes.Allowed],
            new[] { "mythos", "llama" }.Select(m => Decide(m, CounterSharing.Unreachable, CountersUnavailableAction.CountLocally).ReasonCode));
    }

    [Fact]
    public void Explain_SaysTheCountersAreShared_AndWithoutRedisThereIsNoCountersStage()
    {
        var withoutRedis = DecisionPipeline.CreateDefault(FixedLocator.In("US"), TimeProvider.System).Decide(
            new DecisionRequest(ClientAddress.Known(IPAddress.Loopback), null, "llama", null) { Explains = true }, Configuration);

        Assert.Contains(Decide("mythos", CounterSharing.Shared, explains: true).Trace, t => (t.Layer, t.Rule, t.Outcome) == (DecisionLayer.Counters, "counters.shared", "shared"));
        Assert.DoesNotContain(withoutRedis.Trace, t => t.Layer == DecisionLayer.Counters);
    }
}
