using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Decisions;

/// <summary>Layer 2's rules on their own: the account's facts against the model's jurisdictions.</summary>
public sealed class IdentityStageTests
{
    private static readonly GatewayConfiguration Configuration = ConfigurationLoader.Parse("""
        jurisdictions:
          sanctioned: { countries: [BY] }
        models:
          - { id: mythos-5, classification: restricted, allowedJurisdictions: [us] }
          - { id: llama, deniedJurisdictions: [sanctioned] }
        endpoints:
          - { id: m, model: mythos-5, provider: anthropic, baseUrl: "https://a.example", region: us-east }
          - { id: l, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central }
        """, "/test.yaml", _ => null).Configuration!;

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Account UsAccount() => new("acc_1", "org_1", "Jo", null, Now)
    {
        Kyc = new KycProfile
        {
            Billing = new BillingAddress(null, null, null, null, "US"),
            CardCountry = "US",
            RegisteredCountry = "US",
            Verification = VerificationStatus.Verified,
        },
    };

    private static Decision Decide(Account account, string model, GeoLocation? location = null)
    {
        var pipeline = DecisionPipeline.CreateDefault(new FixedLocator(location ?? new GeoLocation("US", NetworkType.Residential, null)), new FakeTimeProvider(Now));
        var principal = new Principal(null, account, new Organization("org_1", "Org", Now));
        return pipeline.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse("198.51.100.7")), principal, model, null), Configuration);
    }

    [Fact]
    public void Decide_ConsistentVerifiedAccount_IsAllowed_AndTheTraceSaysWhatWasChecked()
    {
        var decision = Decide(UsAccount(), "mythos-5");

        Assert.True(decision.IsAllowed);
        var kyc = Assert.Single(decision.Trace, t => t.Rule == "identity.kyc");
        Assert.Equal("account acc_1: billing US, card US, registered US, verified; checked: billing, card, registered country, verification, vpn mismatch", kyc.Detail);
    }

    [Fact]
    public void Decide_EmbargoedBillingCountry_RefusesEvenAnOpenModel()
    {
        var account = UsAccount() with { Kyc = UsAccount().Kyc with { Billing = new BillingAddress(null, null, null, null, "IR") } };

        var decision = Decide(account, "llama", new GeoLocation("DE", NetworkType.Residential, null));

        Assert.Equal(ReasonCodes.BillingCountry, decision.ReasonCode);
        Assert.Equal("llama is not available to accounts billed in Iran (IR); account acc_1 is. Contact your administrator.", decision.Message);
    }

    [Fact]
    public void Decide_CardFromADeniedJurisdiction_RefusesTheModelThatDeniesIt()
    {
        var account = UsAccount() with { Kyc = UsAccount().Kyc with { CardCountry = "BY" } };

        Assert.Equal(ReasonCodes.CardCountry, Decide(account, "llama").ReasonCode);
    }

    [Fact]
    public void Decide_MissingCardCountry_FailsClosedForRestricted_ButNotForOpen()
    {
        var account = UsAccount() with { Kyc = UsAccount().Kyc with { CardCountry = null } };

        var restricted = Decide(account, "mythos-5");
        var open = Decide(account, "llama");

        Assert.Equal(ReasonCodes.CardCountry, restricted.ReasonCode);
        Assert.Contains("has no card country on file", restricted.Message);
        Assert.True(open.IsAllowed);
    }

    [Theory]
    [InlineData(NetworkType.Hosting, ReasonCodes.VpnMismatch)]
    [InlineData(NetworkType.Residential, ReasonCodes.BillingCountry)]
    public void Decide_ForeignBilledAccountInsideTheJurisdiction_IsVpnMismatchOnlyThroughHosting(NetworkType network, string reason)
    {
        var account = UsAccount() with { Kyc = UsAccount().Kyc with { Billing = new BillingAddress(null, null, null, null, "DE") } };

        var decision = Decide(account, "mythos-5", new GeoLocation("US", network, null) { Asn = 16509, NetworkName = "Amazon.com (AWS)" });

        Assert.Equal(reason, decision.ReasonCode);
        Assert.Equal(DecisionLayer.Identity, decision.Layer);
    }

    [Fact]
    public void Decide_FlaggedAccount_IsRefusedRestricted_ButServedOpen()
    {
        var account = UsAccount() with { Status = AccountStatus.Flagged };

        Assert.Equal(ReasonCodes.AccountFlagged, Decide(account, "mythos-5").ReasonCode);
        Assert.True(Decide(account, "llama").IsAllowed);
    }

    [Fact]
    public void Decide_SuspendedAccount_IsRefusedBeforeTheModelIsEvenLookedUp()
    {
        var account = UsAccount() with { Status = AccountStatus.Suspended, StatusChangedAt = Now.AddHours(-1) };

        var decision = Decide(account, "no-such-model");

        Assert.Equal(ReasonCodes.AccountSuspended, decision.ReasonCode);
        Assert.Equal(["identity.account"], decision.Trace.Select(t => t.Rule));
        Assert.Contains("since 2026-11-24 11:00:00Z", decision.Message);
    }
}
