using System.Net;
using System.Net.Http.Json;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Sanctions screening through the real server, against the 17-entry OFAC fixture list
/// (../shared/data/sanctions/ofac_fixture_watchman) uploaded as the admin API receives it.
/// </summary>
public sealed class SanctionsGateTests(SanctionsGateTests.Fixture fixture) : IClassFixture<SanctionsGateTests.Fixture>
{
    private const string UsResidential = "9.9.9.9";
    internal const string Open = "open-claude";
    private const string DialogRegions = "ofac-sdn:50544";

    public sealed class Fixture : IAsyncLifetime
    {
        internal GatewayInstance Gateway { get; private set; } = null!;

        internal GateCalls Calls { get; private set; } = null!;

        internal SanctionsList List { get; } = Assert.Single(SanctionsFiles.Read(SharedData.Sanctions("ofac_fixture_watchman")));


        public async Task InitializeAsync()
        {
            Gateway = await StartGatewayAsync();
            Calls = new GateCalls(Gateway, Gateway.ViaTrustedProxy);
            await ImportAsync(Gateway, List);
        }

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }

    /// <summary>A gateway with one open model, trusting 127.0.0.2 as a proxy.</summary>
    internal static Task<GatewayInstance> StartGatewayAsync() => GatewayInstance.StartAsync(upstream => $$"""
        {{GatewayInstance.BehindTrustedProxy}}
        models:
          - { id: {{Open}} }
        endpoints:
          - { id: oc, model: {{Open}}, provider: anthropic, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
        """);

    internal static Task<SanctionsImportView> ImportAsync(GatewayInstance gateway, SanctionsList list) =>
        gateway.PostAsync("/admin/v1/sanctions/lists", new SanctionsListUpload(list.Source, list.Published, list.Files, [.. list.Entries.Select(SanctionsEntryUpload.From)]),
            AdminJsonContext.Default.SanctionsImportView);

    private GateCalls Calls => fixture.Calls;

    [Fact]
    public async Task ASanctionedOrganisation_GetsAKey_ButTheKeyIsRefusedForEveryModel()
    {
        var caller = await Calls.CallerAsync(organizationName: "Dialog", organizationLegalName: "ANO Dialog Regions");

        var answer = await Calls.SendAsync(caller.Key, UsResidential, Open);

        Assert.Equal((HttpStatusCode.Forbidden, "identity.sanctions_match"), (answer.Status, answer.Reason));
        Assert.Contains("on hold for sanctions screening", answer.Message);
        Assert.Equal("flagged", (await Calls.AccountAsync(caller.AccountId)).Status);
        var flag = Assert.Single(await Calls.FlagsAsync(caller.AccountId));
        Assert.Equal(("identity.sanctions_match", DialogRegions, "organization", caller.OrganizationId),
            (flag.Reason, flag.Match!.EntryKey, flag.Match.Subject, flag.Match.SubjectId));
        Assert.True(flag.Match.Score >= 0.9, $"score {flag.Match.Score}");
    }

    [Fact]
    public async Task RenamingAnOrganisationToAListedName_FlagsItsAccounts()
    {
        var caller = await Calls.CallerAsync(organizationName: "Harmless Widgets");
        Assert.Equal(HttpStatusCode.OK, (await Calls.SendAsync(caller.Key, UsResidential, Open)).Status);

        using var renamed = await fixture.Gateway.Admin.PatchAsJsonAsync($"/admin/v1/organizations/{caller.OrganizationId}",
            new UpdateOrganizationRequest(LegalName: "Autonomous Non-Profit Organization Dialog Regions"));

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("identity.sanctions_match", (await Calls.SendAsync(caller.Key, UsResidential, Open)).Reason);
    }

    [Fact]
    public async Task AnAccountHolderOnTheList_IsFlaggedWhateverTheOrderAndScriptOfTheName()
    {
        // "Dmitry Yuryevich Khoroshev" in Cyrillic, given name first; OFAC lists "KHOROSHEV, Dmitry Yuryevich".
        var caller = await Calls.CallerAsync(holder: "Дмитрий Юрьевич Хорошев");

        var flag = Assert.Single(await Calls.FlagsAsync(caller.AccountId));

        Assert.Equal(("ofac-sdn:48603", "account"), (flag.Match!.EntryKey, flag.Match.Subject));
        Assert.Equal("identity.sanctions_match", (await Calls.SendAsync(caller.Key, UsResidential, Open)).Reason);
    }

    [Fact]
    public async Task AClearedFalsePositive_StaysCleared_UntilTheListEntryItselfChanges()
    {
        var caller = await Calls.CallerAsync(organizationName: "Dialog", organizationLegalName: "Dialog Regions");
        var flag = Assert.Single(await Calls.FlagsAsync(caller.AccountId));
        using var reviewer = await Calls.AdminWithRoleAsync("reviewer");

        using var cleared = await reviewer.PostAsJsonAsync($"/admin/v1/flags/{flag.Id}/review",
            new ReviewFlagRequest("clear", "Dialog Regions Ltd of Leeds, UK: a different company (companies register checked)."));
        var served = await Calls.SendAsync(caller.Key, UsResidential, Open);
        var sameListAgain = await ImportAsync(fixture.Gateway, fixture.List);

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.DoesNotContain(sameListAgain.Flags, f => f.AccountId == caller.AccountId);
        Assert.Equal("active", (await Calls.AccountAsync(caller.AccountId)).Status);

        var changed = fixture.List with
        {
            Entries = [.. fixture.List.Entries.Select(e => e.Key == DialogRegions ? e with { Remarks = e.Remarks + " Amended." } : e)],
        };
        var amended = await ImportAsync(fixture.Gateway, changed);
        var again = await ImportAsync(fixture.Gateway, fixture.List);

        Assert.Equal(1, amended.Version.Changed);
        Assert.Contains(amended.Flags, f => f.AccountId == caller.AccountId && f.Match!.EntryKey == DialogRegions);
        Assert.Equal("identity.sanctions_match", (await Calls.SendAsync(caller.Key, UsResidential, Open)).Reason);
        Assert.DoesNotContain(again.Flags, f => f.AccountId == caller.AccountId);
    }

    [Fact]
    public async Task ScreeningAName_ReturnsRankedMatches_WithTheListEntry()
    {
        using var response = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/v1/sanctions/screen", new ScreenRequest("Dmitriy Yurievich Khoroshev", "RU"));
        var result = (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.ScreenResultView))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.List.Entries.Count, result.ListedEntries);
        var best = result.Matches[0];
        Assert.Equal(("ofac-sdn:48603", "KHOROSHEV, Dmitry Yuryevich", "individual"), (best.Entry, best.Name, best.Type));
        Assert.True(best.CountryMatched);
        Assert.Equal(result.Matches.OrderByDescending(m => m.Score).Select(m => m.Entry), result.Matches.Select(m => m.Entry));
    }

    [Fact]
    public async Task ScreeningWithACity_MarksTheMatchesWithAnAddressThere()
    {
        using var moscow = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/v1/sanctions/screen", new ScreenRequest("Dialog Regions", "RU", City: "Moscow"));
        using var kazan = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/v1/sanctions/screen", new ScreenRequest("Dialog Regions", "RU", City: "Kazan"));

        var inMoscow = (await moscow.Content.ReadFromJsonAsync(AdminJsonContext.Default.ScreenResultView))!.Matches[0];
        var inKazan = (await kazan.Content.ReadFromJsonAsync(AdminJsonContext.Default.ScreenResultView))!.Matches[0];

        Assert.Equal((DialogRegions, true), (inMoscow.Entry, inMoscow.AddressMatched));
        Assert.Equal((DialogRegions, false, inMoscow.Score), (inKazan.Entry, inKazan.AddressMatched, inKazan.Score));
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"x","country":"Russia"}""", "country")]
    [InlineData("""{"name":"x","threshold":1.5}""", "threshold")]
    public async Task ScreeningWithBadInput_IsA400NamingTheField(string body, string field)
    {
        using var response = await fixture.Gateway.Admin.PostAsync("/admin/v1/sanctions/screen", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"source":"ofac-sdn","entries":[]}""", "entries")]
    [InlineData("""{"source":"eu","entries":[{"entryId":"1","type":"entity","name":"X"}]}""", "source")]
    [InlineData("""{"source":"un","entries":[{"entryId":"1","type":"ship","name":"X"}]}""", "entries[0].type")]
    [InlineData("""{"source":"un","entries":[{"entryId":"1","type":"entity","name":"X","countries":["Russia"]}]}""", "entries[0].countries[0]")]
    public async Task UploadingABadList_IsA400_AndLeavesTheListInForce(string body, string field)
    {
        using var response = await fixture.Gateway.Admin.PostAsync("/admin/v1/sanctions/lists", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var versions = (await fixture.Gateway.Admin.GetFromJsonAsync("/admin/v1/sanctions/lists", AdminJsonContext.Default.ListSanctionsVersionView))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(fixture.List.Entries.Count, versions.First(v => v.Current && v.Source == "ofac-sdn").Entries);
    }
}
