using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Layer 2 through the real server: each test makes its own organisation, account and key,
/// then calls through the trusted proxy (127.0.0.2) so X-Forwarded-For places the caller.
/// </summary>
public sealed class IdentityGateTests(IdentityGateTests.Fixture fixture) : IClassFixture<IdentityGateTests.Fixture>
{
    private const string UsResidential = "9.9.9.9";   // Quad9, not on the network list
    private const string UsHosting = "8.8.8.8";       // Google, hosting on the network list
    private const string UnitedKingdom = "81.2.69.142";
    private const string Restricted = GateModels.Restricted;
    private const string RestrictedOpenAI = GateModels.RestrictedOpenAI;
    private const string Open = GateModels.Open;
    private const int OutsideDenialsBeforeSuspension = 3;

    public sealed class Fixture : IAsyncLifetime
    {
        internal GatewayInstance Gateway { get; private set; } = null!;


        internal GateCalls Calls { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Gateway = await GatewayInstance.StartAsync(upstream => $$"""
                {{GatewayInstance.BehindTrustedProxy}}
                identity:
                  autoSuspend: { outsideDenials: {{OutsideDenialsBeforeSuspension}}, window: 1h, onVpnMismatch: true }
                {{GateModels.Sections(upstream)}}
                """);
            Calls = new GateCalls(Gateway, Gateway.ViaTrustedProxy);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
        }
    }

    private GatewayInstance Gateway => fixture.Gateway;

    private GateCalls Calls => fixture.Calls;

    private Task<GateCalls.Caller> CallerAsync(string billing = "US", string? card = "US", string? registered = "US", string verification = "verified", CreateApiKeyRequest? key = null) =>
        Calls.CallerAsync(billing, card, registered, verification, key);

    private Task<CreatedApiKey> KeyAsync(string accountId) => Calls.KeyAsync(accountId);

    private Task<GateCalls.Answer> SendAsync(string key, string from, string model = Restricted) => Calls.SendAsync(key, from, model, openAI: model == RestrictedOpenAI);

    private Task<AccountView> AccountAsync(string id) => Calls.AccountAsync(id);

    private Task<List<FlagView>> FlagsAsync(string accountId, string status = "open") => Calls.FlagsAsync(accountId, status);

    private Task<HttpClient> AdminWithRoleAsync(string role) => Calls.AdminWithRoleAsync(role);

    [Fact]
    public async Task UsBilledAccount_FromUsResidentialAddress_IsServed()
    {
        var caller = await CallerAsync();

        var answer = await SendAsync(caller.Key, UsResidential);

        Assert.Equal((HttpStatusCode.OK, "allowed"), (answer.Status, answer.Reason));
    }

    [Fact]
    public async Task GermanBilledAccount_FromUsHostingAddress_IsVpnMismatch_FlaggedWithEvidence_AndSuspended()
    {
        var caller = await CallerAsync(billing: "DE", card: "DE", registered: "DE");

        var answer = await SendAsync(caller.Key, UsHosting);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.vpn_mismatch"), (answer.Status, answer.Reason));
        Assert.Contains("hosting network (8.8.8.8)", answer.Message);
        Assert.Contains("billed in Germany", answer.Message);
        var flag = Assert.Single(await FlagsAsync(caller.AccountId));
        Assert.Equal("identity.vpn_mismatch", flag.Reason);
        var evidence = Assert.Single(flag.Evidence);
        Assert.Equal((UsHosting, "US", "hosting", 15169u, Restricted), (evidence.Client, evidence.Country, evidence.NetworkType, evidence.Asn, evidence.Model));
        Assert.Equal(answer.Response.Headers.GetValues("gatehouse-decision").Single().Split("id=")[1], evidence.DecisionId);
        Assert.Equal("suspended", (await AccountAsync(caller.AccountId)).Status);
        Assert.Equal("identity.account_suspended", (await SendAsync(caller.Key, UsResidential, Open)).Reason);
    }

    [Fact]
    public async Task GermanBilledAccount_FromUsResidentialAddress_IsBillingCountry()
    {
        var caller = await CallerAsync(billing: "DE");

        var answer = await SendAsync(caller.Key, UsResidential);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.billing_country"), (answer.Status, answer.Reason));
        Assert.Contains("available only to accounts billed in the United States", answer.Message);
    }

    [Fact]
    public async Task CardCountryOutside_IsDeniedAndFlagged_ThenRefusedAsFlaggedUntilCleared()
    {
        var caller = await CallerAsync(card: "DE");
        using var reviewer = await AdminWithRoleAsync("reviewer");

        var first = await SendAsync(caller.Key, UsResidential, RestrictedOpenAI);
        var second = await SendAsync(caller.Key, UsResidential);
        var open = await SendAsync(caller.Key, UsResidential, Open);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.card_country"), (first.Status, first.Reason));
        Assert.Equal("identity.card_country", (string)first.Body["error"]!["code"]!);
        Assert.Equal("identity.account_flagged", second.Reason);
        Assert.Equal(HttpStatusCode.OK, open.Status);
        var flag = Assert.Single(await FlagsAsync(caller.AccountId));
        Assert.Equal("flagged", (await AccountAsync(caller.AccountId)).Status);

        using var cleared = await reviewer.PostAsJsonAsync($"/admin/v1/flags/{flag.Id}/review", new ReviewFlagRequest("clear", "Card issued abroad; customer verified by phone."));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("active", (await AccountAsync(caller.AccountId)).Status);
        Assert.Empty(await FlagsAsync(caller.AccountId));
        var reviewed = Assert.Single(await FlagsAsync(caller.AccountId, "reviewed"));
        Assert.Equal(("clear", "Card issued abroad; customer verified by phone."), (reviewed.Review!.Action, reviewed.Review.Comment));
    }

    [Fact]
    public async Task RegisteredCountryOutside_IsRegisteredCountry()
    {
        var caller = await CallerAsync(registered: "FR");

        var answer = await SendAsync(caller.Key, UsResidential);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.registered_country"), (answer.Status, answer.Reason));
        Assert.Contains("registered in France (FR)", answer.Message);
    }

    [Theory]
    [InlineData("unverified", "is not verified")]
    [InlineData("rejected", "was rejected at verification")]
    public async Task AccountNotVerified_IsRefusedRestricted_ButServedOpen(string verification, string words)
    {
        var caller = await CallerAsync(verification: verification);

        var restricted = await SendAsync(caller.Key, UsResidential);
        var open = await SendAsync(caller.Key, UsResidential, Open);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.unverified"), (restricted.Status, restricted.Reason));
        Assert.Contains(words, restricted.Message);
        Assert.Equal(HttpStatusCode.OK, open.Status);
        Assert.Empty(await FlagsAsync(caller.AccountId));
    }

    [Fact]
    public async Task OutsideDenials_ReachingTheThreshold_SuspendEveryKeyAtOnce_UntilReinstated()
    {
        var caller = await CallerAsync();
        var secondKey = await KeyAsync(caller.AccountId);
        using var reviewer = await AdminWithRoleAsync("reviewer");

        for (var i = 0; i < OutsideDenialsBeforeSuspension; i++)
        {
            Assert.Equal("geo.country_restricted", (await SendAsync(caller.Key, UnitedKingdom)).Reason);
        }
        var first = await SendAsync(caller.Key, UsResidential);
        var second = await SendAsync(secondKey.Key, UsResidential, Open);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.account_suspended"), (first.Status, first.Reason));
        Assert.Equal((HttpStatusCode.Forbidden, "identity.account_suspended"), (second.Status, second.Reason));
        var flag = Assert.Single(await FlagsAsync(caller.AccountId));
        Assert.Equal(("identity.repeated_outside_denials", OutsideDenialsBeforeSuspension), (flag.Reason, flag.Evidence.Count));
        Assert.All(flag.Evidence, e => Assert.Equal((UnitedKingdom, "GB", "geo.country_restricted"), (e.Client, e.Country, e.ReasonCode)));

        using var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secondKey.Key);
        using var listing = await Gateway.Client.SendAsync(models);
        Assert.Equal(HttpStatusCode.Forbidden, listing.StatusCode);

        using var reinstated = await reviewer.PostAsJsonAsync($"/admin/v1/flags/{flag.Id}/review", new ReviewFlagRequest("reinstate", "Travelling employee; spoken to."));
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(caller.Key, UsResidential)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(secondKey.Key, UsResidential)).Status);
    }

    [Fact]
    public async Task ReviewWithoutComment_Is400_AndClosedAccountCannotBeReinstated()
    {
        var caller = await CallerAsync();
        using var reviewer = await AdminWithRoleAsync("reviewer");

        using var noComment = await reviewer.PostAsJsonAsync($"/admin/v1/accounts/{caller.AccountId}/suspend", new CommentRequest(" "));
        using var closed = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/accounts/{caller.AccountId}/close", new CommentRequest("Contract ended."));
        using var reinstate = await reviewer.PostAsJsonAsync($"/admin/v1/accounts/{caller.AccountId}/reinstate", new CommentRequest("Try anyway."));
        var answer = await SendAsync(caller.Key, UsResidential, Open);

        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.Contains("comment", await noComment.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reinstate.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "identity.account_closed"), (answer.Status, answer.Reason));
    }

    [Fact]
    public async Task RevokedKey_IsRefusedOnTheNextRequest_With401()
    {
        var caller = await CallerAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(caller.Key, UsResidential)).Status);

        using var revoked = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/keys/{caller.KeyId}/revoke", new CommentRequest("Laptop stolen."));
        var anthropic = await SendAsync(caller.Key, UsResidential);
        var openAI = await SendAsync(caller.Key, UsResidential, RestrictedOpenAI);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "identity.key_revoked"), (anthropic.Status, anthropic.Reason));
        Assert.Equal("authentication_error", (string)anthropic.Body["error"]!["type"]!);
        Assert.Equal("identity.key_revoked", (string)openAI.Body["error"]!["code"]!);
        var audit = (await Gateway.Admin.GetFromJsonAsync($"/admin/v1/audit?targetId={caller.KeyId}", AdminJsonContext.Default.ListAuditEntry))!;
        Assert.Equal(["key.revoke", "key.create"], audit.Select(e => e.Action));
        Assert.Equal("Laptop stolen.", audit[0].Comment);
    }

    [Fact]
    public async Task RotatedKey_WorksDuringGrace_AndNotAfter()
    {
        var caller = await CallerAsync();

        using var rotated = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/keys/{caller.KeyId}/rotate", new RotateKeyRequest("1h"));
        var successor = (await rotated.Content.ReadFromJsonAsync(AdminJsonContext.Default.CreatedApiKey))!;
        var oldDuringGrace = await SendAsync(caller.Key, UsResidential);
        var newKey = await SendAsync(successor.Key, UsResidential);
        using var again = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/keys/{successor.Id}/rotate", new RotateKeyRequest("0s"));
        var third = (await again.Content.ReadFromJsonAsync(AdminJsonContext.Default.CreatedApiKey))!;
        var secondAfterGrace = await SendAsync(successor.Key, UsResidential);

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (oldDuringGrace.Status, newKey.Status));
        Assert.Equal((HttpStatusCode.Unauthorized, "identity.key_expired"), (secondAfterGrace.Status, secondAfterGrace.Reason));
        Assert.Contains($"replaced by {third.Id}", secondAfterGrace.Message);
        var keys = (await Gateway.Admin.GetFromJsonAsync($"/admin/v1/keys?accountId={caller.AccountId}", AdminJsonContext.Default.ListApiKeyView))!;
        Assert.Equal(["rotating", "expired", "active"], keys.Select(k => k.Status));
    }

    [Fact]
    public async Task ExpiringKey_IsRefusedOnceItsTimeHasCome()
    {
        var caller = await CallerAsync(key: new CreateApiKeyRequest(null, null, ExpiresAt: TimeProvider.System.GetUtcNow().AddSeconds(2)));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(caller.Key, UsResidential)).Status);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var answer = await SendAsync(caller.Key, UsResidential);

        Assert.Equal((HttpStatusCode.Unauthorized, "identity.key_expired"), (answer.Status, answer.Reason));
    }

    [Fact]
    public async Task KeyWithAllowedNetworks_IsUselessElsewhere()
    {
        var caller = await CallerAsync(key: new CreateApiKeyRequest(null, null, AllowedNetworks: ["9.9.9.0/24"]));

        var inside = await SendAsync(caller.Key, UsResidential);
        var outside = await SendAsync(caller.Key, "9.9.10.1", Open);

        Assert.Equal(HttpStatusCode.OK, inside.Status);
        Assert.Equal((HttpStatusCode.Forbidden, "identity.key_network"), (outside.Status, outside.Reason));
        Assert.Contains("this request came from 9.9.10.1", outside.Message);
    }

    [Fact]
    public async Task RateLimitedKey_Gets429WithRetryAfter_InTheCallersDialect()
    {
        var caller = await CallerAsync(key: new CreateApiKeyRequest(null, null, RateLimit: new RateLimitView(2, "1m")));

        var answers = new List<GateCalls.Answer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await SendAsync(caller.Key, UsResidential, i == 2 ? RestrictedOpenAI : Restricted));
        }
        var limited = answers[2];

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.Status));
        var retryAfter = int.Parse(limited.Response.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(("rate_limit_error", "rate_limit_exceeded"), ((string)limited.Body["error"]!["type"]!, (string)limited.Body["error"]!["code"]!));
        Assert.Contains("limited to 2 per 1m", limited.Message);
    }

    [Fact]
    public async Task AccountChanges_AreAudited_WithActorAndFields()
    {
        var caller = await CallerAsync();

        using var update = await Gateway.Admin.PatchAsJsonAsync($"/admin/v1/accounts/{caller.AccountId}",
            new UpdateAccountRequest(CardCountry: "CA", Verification: new VerificationRequest("rejected", "document check")));
        var account = (await update.Content.ReadFromJsonAsync(AdminJsonContext.Default.AccountView))!;
        var audit = (await Gateway.Admin.GetFromJsonAsync($"/admin/v1/audit?targetId={caller.AccountId}", AdminJsonContext.Default.ListAuditEntry))!;

        Assert.Equal(("CA", "rejected", "US"), (account.Kyc.CardCountry, account.Kyc.Verification, account.Kyc.BillingAddress!.Country));
        Assert.Equal(["account.update", "account.create"], audit.Select(e => e.Action));
        Assert.Equal("cardCountry: US → CA; verification: verified → rejected; verificationMethod: - → document check", audit[0].Changes);
        Assert.EndsWith("(admin)", audit[0].Actor);
    }

    private const string Licensed = "GBSIEL/2026/0042";

    private async Task<LicenseView> GrantAsync(string organizationId, string[] models, string[] countries, DateTimeOffset? validTo = null) =>
        await Gateway.PostAsync("/admin/v1/licenses", new GrantLicenseRequest(Licensed, organizationId, models, countries,
            ValidTo: validTo ?? TimeProvider.System.GetUtcNow().AddDays(30), Note: "granted in a test"), AdminJsonContext.Default.LicenseView);

    [Fact]
    public async Task ALicence_LetsAUkOrganisationUseTheRestrictedModelFromTheUk_UntilItIsRevoked()
    {
        var caller = await CallerAsync(billing: "GB", card: "GB", registered: "GB");
        Assert.Equal("geo.country_restricted", (await SendAsync(caller.Key, UnitedKingdom)).Reason);

        var license = await GrantAsync(caller.OrganizationId, [Restricted], ["GB"]);
        var served = await SendAsync(caller.Key, UnitedKingdom);
        using var explained = await Gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest(UnitedKingdom, caller.KeyId, null, Restricted, null));
        var decision = (await explained.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;
        using var revoked = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/licenses/{license.Id}/revoke", new CommentRequest("Licence withdrawn by the issuing authority."));
        var afterRevocation = await SendAsync(caller.Key, UnitedKingdom);

        Assert.Equal((HttpStatusCode.OK, "allowed"), (served.Status, served.Reason));
        Assert.Equal((license.Id, Licensed), (decision.LicenseId, decision.LicenseNumber));
        Assert.Contains(decision.Trace, t => t.Rule == "license" && t.Outcome == "allow");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "license.expired"), (afterRevocation.Status, afterRevocation.Reason));
        Assert.Contains($"Export licence {Licensed}", afterRevocation.Message);
        var audit = (await Gateway.Admin.GetFromJsonAsync($"/admin/v1/audit?targetId={license.Id}", AdminJsonContext.Default.ListAuditEntry))!;
        Assert.Equal(["license.revoke", "license.grant"], audit.Select(a => a.Action));
        Assert.Equal("Licence withdrawn by the issuing authority.", audit[0].Comment);
    }

    [Fact]
    public async Task ALicenceForOtherCountries_IsNamedInTheLicenseMissingRefusal()
    {
        var caller = await CallerAsync(billing: "GB", card: "GB", registered: "GB");
        await GrantAsync(caller.OrganizationId, [Restricted], ["DE"]);

        var answer = await SendAsync(caller.Key, UnitedKingdom);

        Assert.Equal((HttpStatusCode.Forbidden, "license.missing"), (answer.Status, answer.Reason));
        Assert.Contains($"{Licensed} ({Restricted} from DE;", answer.Message);
    }

    [Theory]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":["restricted-claude"],"countries":["IR"],"validTo":"2030-01-01T00:00:00Z"}""", "countries[0]", "embargo")]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":["no-such-model"],"countries":["GB"],"validTo":"2030-01-01T00:00:00Z"}""", "models[0]", "not a configured model")]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":[],"countries":["GB"],"validTo":"2030-01-01T00:00:00Z"}""", "models", "is required")]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":["*"],"countries":["XX"],"validTo":"2030-01-01T00:00:00Z"}""", "countries[0]", "not an ISO 3166-1")]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":["*"],"countries":["GB"]}""", "validTo", "is required")]
    [InlineData("""{"number":"D-1","organizationId":"ORG","models":["*"],"countries":["GB"],"validFrom":"2030-01-02T00:00:00Z","validTo":"2030-01-01T00:00:00Z"}""", "validTo", "after validFrom")]
    public async Task GrantingABadLicence_IsA400NamingTheField(string body, string field, string words)
    {
        var caller = await CallerAsync();

        using var response = await Gateway.Admin.PostAsync("/admin/v1/licenses", new StringContent(body.Replace("ORG", caller.OrganizationId), Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(words, (string)problem["errors"]![field]![0]!);
    }
}
