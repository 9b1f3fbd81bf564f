using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Licensing;

/// <summary>
/// Export licences in the decision, on a clock the test moves: a licence lifts the jurisdiction
/// restrictions of Layers 1 and 2 for its organisation, models and countries, during its term,
/// and nothing else.
/// </summary>
public sealed class LicenseDecisionTests
{
    private static GatewayConfiguration Configuration(string onMatch = "block") => ConfigurationLoader.Parse($$"""
        jurisdictions:
          sanctioned: { countries: [BY] }
        identity:
          sanctions: { onMatch: {{onMatch}} }
        models:
          - { id: mythos-5, classification: restricted, allowedJurisdictions: [us] }
          - { id: fable-5, classification: restricted, allowedJurisdictions: [us] }
          - { id: llama, deniedJurisdictions: [sanctioned] }
        endpoints:
          - { id: m, model: mythos-5, provider: anthropic, baseUrl: "https://a.example", region: us-east }
          - { id: f, model: fable-5, provider: anthropic, baseUrl: "https://a.example", region: us-east }
          - { id: l, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central }
        """, "/test.yaml", _ => null).Configuration!;

    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddDays(30);

    private readonly FakeTimeProvider _clock = new(Start);

    private static Account Account(string country) => new("acc_1", "org_uk", "Jo", null, Start)
    {
        Kyc = new KycProfile
        {
            Billing = new BillingAddress(null, null, null, null, country),
            CardCountry = country,
            RegisteredCountry = country,
            Verification = VerificationStatus.Verified,
        },
    };

    private static ExportLicense License(string[] models, string[] countries) =>
        new("lic_1", "GBSIEL/2026/0001", "org_uk", models, countries, Start, End, Start);

    private Decision Decide(string model, string callerCountry, params ExportLicense[] licenses) =>
        Decide(model, callerCountry, Account(callerCountry), null, Configuration(), licenses);

    private Decision Decide(string model, string callerCountry, Account account, Flag? sanctions, GatewayConfiguration configuration, params ExportLicense[] licenses)
    {
        var pipeline = DecisionPipeline.CreateDefault(FixedLocator.In(callerCountry), _clock);
        var principal = new Principal(null, account, new Organization("org_uk", "UK Research", Start)) { Licenses = licenses, SanctionsFlag = sanctions };
        return pipeline.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse("81.2.69.142")), principal, model, null), configuration);
    }

    [Fact]
    public void WithoutALicence_ACallerOutsideTheJurisdiction_IsRefusedAsBefore()
    {
        Assert.Equal(ReasonCodes.GeoCountryRestricted, Decide("mythos-5", "GB").ReasonCode);
    }

    [Fact]
    public void ALicenceInForce_LiftsTheGeoAndIdentityRestriction_AndTheDecisionNamesIt()
    {
        var license = License(["mythos-5"], ["GB"]);

        var decision = Decide("mythos-5", "GB", license);

        Assert.True(decision.IsAllowed, decision.Message);
        Assert.Same(license, decision.License);
        Assert.Contains(decision.Trace, t => t is { Rule: "license", Outcome: "allow" } && t.Detail.Contains("GBSIEL/2026/0001") && t.Detail.Contains("from GB"));
    }

    [Fact]
    public void ALicenceForTheAccountsCountry_LiftsTheIdentityRestriction_ForACallerInsideTheJurisdiction()
    {
        Assert.Equal(ReasonCodes.BillingCountry, Decide("mythos-5", "US", Account("GB"), null, Configuration()).ReasonCode);

        var license = License(["mythos-5"], ["GB"]);
        var decision = Decide("mythos-5", "US", Account("GB"), null, Configuration(), license);

        Assert.True(decision.IsAllowed, decision.Message);
        Assert.Same(license, decision.License);
        Assert.Contains(decision.Trace, t => t is { Rule: "license", Outcome: "allow" } && t.Detail.Contains("lifts identity.billing_country for GB"));
    }

    [Fact]
    public void AModelPattern_CoversEveryModelItMatches()
    {
        var license = License(["*-5"], ["GB"]);

        Assert.True(Decide("fable-5", "GB", license).IsAllowed);
        Assert.True(Decide("mythos-5", "GB", license).IsAllowed);
    }

    [Fact]
    public void BeforeItsTerm_TheLicenceDoesNotApply()
    {
        var license = License(["mythos-5"], ["GB"]) with { ValidFrom = Start.AddDays(1) };

        var decision = Decide("mythos-5", "GB", license);

        Assert.Equal(ReasonCodes.LicenseNotYetValid, decision.ReasonCode);
        Assert.Contains("valid only from 2026-11-25 12:00:00Z", decision.Message);
        _clock.SetUtcNow(Start.AddDays(1));
        Assert.True(Decide("mythos-5", "GB", license).IsAllowed);
    }

    [Fact]
    public void AtTheExactSecondOfItsEnd_TheLicenceStopsWorking()
    {
        var license = License(["mythos-5"], ["GB"]);

        _clock.SetUtcNow(End.AddTicks(-1));
        Assert.True(Decide("mythos-5", "GB", license).IsAllowed);
        _clock.SetUtcNow(End);
        var decision = Decide("mythos-5", "GB", license);

        Assert.Equal(ReasonCodes.LicenseExpired, decision.ReasonCode);
        Assert.Contains("expired at 2026-12-24 12:00:00Z", decision.Message);
        Assert.Null(decision.License);
    }

    [Fact]
    public void ARevokedLicence_StopsWorkingFromTheInstantOfRevocation()
    {
        var license = License(["mythos-5"], ["GB"]) with { RevokedAt = Start.AddHours(1) };

        Assert.True(Decide("mythos-5", "GB", license).IsAllowed);
        _clock.SetUtcNow(Start.AddHours(1));
        var decision = Decide("mythos-5", "GB", license);

        Assert.Equal(ReasonCodes.LicenseExpired, decision.ReasonCode);
        Assert.Contains("was revoked at 2026-11-24 13:00:00Z", decision.Message);
    }

    [Fact]
    public void ALicenceForAnotherCountry_LeavesTheRequestRefused_WithLicenseMissingNamingWhatIsHeld()
    {
        var decision = Decide("mythos-5", "FR", License(["mythos-5"], ["GB", "DE"]));

        Assert.Equal(ReasonCodes.LicenseMissing, decision.ReasonCode);
        Assert.Contains("GBSIEL/2026/0001 (mythos-5 from GB, DE; until 2026-12-24 12:00:00Z)", decision.Message);
        Assert.Contains("none of which covers mythos-5 from FR", decision.Message);
    }

    [Fact]
    public void ALicenceForAnotherModel_DoesNotCoverThisOne()
    {
        Assert.Equal(ReasonCodes.LicenseMissing, Decide("fable-5", "GB", License(["mythos-5"], ["GB"])).ReasonCode);
    }

    [Fact]
    public void AnEmbargoedCountry_IsNeverLifted_NotForTheCallerNorForTheAccount()
    {
        var license = License(["mythos-5", "llama"], ["IR"]);

        Assert.Equal(ReasonCodes.GeoEmbargoed, Decide("mythos-5", "IR", license).ReasonCode);
        var billedInIran = Decide("llama", "DE", Account("IR"), null, Configuration(), license);
        Assert.Equal(ReasonCodes.BillingCountry, billedInIran.ReasonCode);
    }

    [Fact]
    public void ADeniedJurisdiction_IsLiftedForALicensedCountry()
    {
        Assert.Equal(ReasonCodes.GeoCountryRestricted, Decide("llama", "BY").ReasonCode);

        Assert.True(Decide("llama", "BY", License(["llama"], ["BY"])).IsAllowed);
    }

    [Fact]
    public void ALicence_DoesNotLiftASanctionsHoldOrASuspension()
    {
        var license = License(["mythos-5"], ["GB"]);
        var hold = new Flag("flag_1", "acc_1", ReasonCodes.SanctionsMatch, "resembles", Start);

        Assert.Equal(ReasonCodes.SanctionsMatch, Decide("mythos-5", "GB", Account("GB"), hold, Configuration(), license).ReasonCode);
        var suspended = Account("GB") with { Status = AccountStatus.Suspended };
        Assert.Equal(ReasonCodes.AccountSuspended, Decide("mythos-5", "GB", suspended, null, Configuration(), license).ReasonCode);
    }

    [Fact]
    public void ASanctionsMatch_BlocksEveryModel_OrInFlagModeOnlyThoseThatRefuseFlaggedAccounts()
    {
        var hold = new Flag("flag_1", "acc_1", ReasonCodes.SanctionsMatch, "resembles", Start);
        var flagged = Account("US") with { Status = AccountStatus.Flagged };

        Assert.Equal(ReasonCodes.SanctionsMatch, Decide("llama", "US", flagged, hold, Configuration("block")).ReasonCode);
        Assert.Equal(ReasonCodes.AccountFlagged, Decide("mythos-5", "US", flagged, hold, Configuration("flag")).ReasonCode);
        Assert.True(Decide("llama", "US", flagged, hold, Configuration("flag")).IsAllowed);
    }
}
