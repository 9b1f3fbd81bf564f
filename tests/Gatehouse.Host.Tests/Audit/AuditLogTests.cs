using System.Net;
using System.Net.Http.Json;
using Gatehouse.Engine.Audit;
using Gatehouse.Host.Admin;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Host.Tests.Audit;

/// <summary>The audit log through the real server: what each decision and admin change leaves in it, and refusal when it cannot be written.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private const string Restricted = "mythos-5";
    private const string Open = "llama-3.1-405b";
    private const string UnitedStates = "9.9.9.9";
    private const string UnitedKingdom = "81.2.69.142";

    private GatewayInstance _gateway = null!;
    private GateCalls _calls = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(upstream => $$"""
            {{GatewayInstance.BehindTrustedProxy}}
            identity:
              autoSuspend: { outsideDenials: 0 }
            audit:
              commitTimeout: 1s
            models:
              - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us], substitute: {{Open}} }
              - { id: {{Open}} }
            endpoints:
              - { id: mythos-us-east, model: {{Restricted}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
              - { id: llama-eu, model: {{Open}}, provider: anthropic, baseUrl: "{{upstream}}", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
            """);
        _calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<List<AuditRecord>> RecordsAsync(string query) =>
        [.. (await _gateway.Admin.GetFromJsonAsync($"/admin/v1/audit/records?{query}", AdminJsonContext.Default.AuditRecordPage))!.Records];

    private async Task<AuditVerification> VerifyAsync() =>
        (await _gateway.Admin.GetFromJsonAsync("/admin/v1/audit/verify", AdminJsonContext.Default.AuditVerification))!;

    [Fact]
    public async Task EveryDecision_IsRecordedWithWhoWhereWhatAndWhy_AndTheChainVerifies()
    {
        var caller = await _calls.CallerAsync(organizationName: "Recorded Inc");

        var allowed = await _calls.SendAsync(caller.Key, UnitedStates, Restricted);
        var denied = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted);
        var records = await RecordsAsync($"accountId={caller.AccountId}");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Forbidden], new[] { allowed.Status, denied.Status });
        Assert.Equal(2, records.Count);
        var (served, refused) = (records[0], records[1]);
        Assert.Equal(allowed.RequestId, served.RequestId);
        Assert.Equal((AuditRecordKind.Decision, "allow", "allowed", caller.KeyId, caller.OrganizationId), (served.Kind, served.Effect, served.ReasonCode, served.KeyId, served.OrganizationId));
        Assert.Equal((UnitedStates, "US", "residential", Restricted, Restricted, "mythos-us-east", "us-east"),
            (served.Client, served.Country, served.NetworkType, served.RequestedModel, served.Model, served.Endpoint, served.Region));
        Assert.Equal(("deny", "geo.country_restricted", "geo", "geo.jurisdiction", "GB"), (refused.Effect, refused.ReasonCode, refused.Layer, refused.Rule, refused.Country));
        Assert.Contains("United States", refused.Detail);
        Assert.StartsWith(refused.DecisionId!, denied.Response.Headers.GetValues(ApiErrors.DecisionHeader).Single().Split("id=")[1]);
        Assert.DoesNotContain(caller.Key, System.Text.Json.JsonSerializer.Serialize(new AuditRecordPage(records, null), AdminJsonContext.Default.AuditRecordPage));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task ASubstitution_IsRecordedWithTheModelAskedForAndTheOneThatServed()
    {
        var caller = await _calls.CallerAsync(billing: "GB", card: "GB", registered: "GB");
        using (var optIn = await _gateway.Admin.PatchAsJsonAsync($"/admin/v1/organizations/{caller.OrganizationId}", new UpdateOrganizationRequest(AcceptsSubstitutes: true)))
        {
            optIn.EnsureSuccessStatusCode();
        }

        var answer = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted);
        var record = Assert.Single(await RecordsAsync($"accountId={caller.AccountId}&effect=substitute"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal((Restricted, Open, "llama-eu", "eu-central", "geo.country_restricted"), (record.RequestedModel, record.Model, record.Endpoint, record.Region, record.ReasonCode));
    }

    [Fact]
    public async Task AdminChanges_AreRecordedWithTheirActor()
    {
        var caller = await _calls.CallerAsync(organizationName: "Audited Org");

        var records = await RecordsAsync("kind=admin&limit=1000");

        var created = Assert.Single(records, r => r.Action == "organization.create" && r.TargetId == caller.OrganizationId);
        Assert.StartsWith("gha_", created.Actor);
        Assert.Contains(records, r => r.Action == "account.create" && r.TargetId == caller.AccountId);
        Assert.Contains(records, r => r.Action == "key.create" && r.TargetId == caller.KeyId);
    }

    [Fact]
    public async Task WhenTheAuditLogCannotCommit_RequestsAreRefusedWith503_AndServedAgainOnceItCan()
    {
        var caller = await _calls.CallerAsync();
        var forwarded = _gateway.Upstream.Received.Count;
        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(_gateway.Directory, "gatehouse.db")};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var exclusive = blocker.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();

            var anthropic = await _calls.SendAsync(caller.Key, UnitedStates, Restricted);
            var openAI = await _calls.SendAsync(caller.Key, UnitedStates, Open, openAI: true);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, anthropic.Status);
            Assert.Contains("cannot record", anthropic.Message);
            Assert.Equal("api_error", (string)anthropic.Body["error"]!["type"]!);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, DataPlaneHandler.AuditUnavailableCode), (openAI.Status, (string)openAI.Body["error"]!["code"]!));
            Assert.Equal(TimeSpan.FromSeconds(2), openAI.Response.Headers.RetryAfter?.Delta);
            Assert.Equal(forwarded, _gateway.Upstream.Received.Count);
        }

        await Eventually.TrueAsync(async () => (await _calls.SendAsync(caller.Key, UnitedStates, Restricted)).Status == HttpStatusCode.OK);
        Assert.True((await VerifyAsync()).Intact);
    }
}
