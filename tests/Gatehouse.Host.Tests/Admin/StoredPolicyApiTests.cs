using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Admin;

/// <summary>Policies put through the admin API of the real server: they decide the next request, and deleting one undoes it.</summary>
public sealed class StoredPolicyApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string NoLlama = """
        {"Statement": [
          {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"},
          {"Sid": "NoLlama", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/llama-*"}
        ]}
        """;

    private GatewayInstance Gateway => fixture.Gateway;

    private Task<HttpResponseMessage> PutAsync(string id, PutPolicyRequest request) => Gateway.Admin.PutAsJsonAsync($"/admin/v1/policies/{id}", request);

    [Fact]
    public async Task APolicyPutForAnOrganisation_RefusesItsNextRequest_AndDeletingItLetsTheRequestThrough()
    {
        var calls = new GateCalls(Gateway, Gateway.Client);
        var caller = await calls.CallerAsync();
        var bystander = await calls.CallerAsync();
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(caller.Key, "127.0.0.1", GatewayFixture.OpenAIModel, openAI: true)).Status);

        using var put = await PutAsync("no-llama", new PutPolicyRequest(NoLlama, Organizations: [caller.OrganizationId], Comment: "ticket 7"));
        var refused = await calls.SendAsync(caller.Key, "127.0.0.1", GatewayFixture.OpenAIModel, openAI: true);
        var other = await calls.SendAsync(bystander.Key, "127.0.0.1", GatewayFixture.OpenAIModel, openAI: true);
        var shown = await Gateway.Admin.GetFromJsonAsync("/admin/v1/policies/no-llama", AdminJsonContext.Default.PolicyView);
        var listed = await Gateway.Admin.GetFromJsonAsync("/admin/v1/policies", AdminJsonContext.Default.ListPolicyView);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "policy.explicit_deny"), (refused.Status, refused.Reason));
        Assert.Contains("stored policy no-llama: Statement[1] (Sid \"NoLlama\")", refused.Message);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal((NoLlama, false), (shown!.Document, shown.Gateway));
        Assert.Equal([caller.OrganizationId], shown.Organizations);
        Assert.Contains(listed!, p => p.Id == "no-llama");

        using var deleted = await Gateway.Admin.DeleteAsync("/admin/v1/policies/no-llama?comment=lifted");
        var served = await calls.SendAsync(caller.Key, "127.0.0.1", GatewayFixture.OpenAIModel, openAI: true);
        using var gone = await Gateway.Admin.GetAsync("/admin/v1/policies/no-llama");
        var audit = (await Gateway.Admin.GetFromJsonAsync("/admin/v1/audit?targetId=no-llama", AdminJsonContext.Default.ListAuditEntry))!;

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal([("policy.delete", "lifted"), ("policy.put", "ticket 7")], audit.Select(a => (a.Action, a.Comment)));

        // The deleted document is still on record, under the digest its audit entry names.
        var versions = (await Gateway.Admin.GetFromJsonAsync("/admin/v1/policies/no-llama/versions", AdminJsonContext.Default.ListPolicyView))!;
        Assert.Equal([(1, false), (2, true)], versions.Select(v => (v.Version, v.Deleted)));
        Assert.Equal(NoLlama, versions[0].Document);
        Assert.Contains($"documentSha256: - → {versions[0].DocumentSha256}", audit[1].Changes);
    }

    [Fact]
    public async Task ADocumentWithMistakes_IsRefusedWithEveryMistake_ByLine_AndNothingIsStored()
    {
        const string Mistaken = """
            {"Statement": [
              {"Sid": "A", "Effect": "Alow", "Action": "model:Invoke", "Resource": "*"},
              {"Sid": "B", "Effect": "Allow", "Action": "model:Invoke", "Resource": "*", "Condition": {"StringEquals": {"gate:Countryy": "DE"}}}
            ]}
            """;

        using var response = await PutAsync("mistaken", new PutPolicyRequest(Mistaken, Gateway: true));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var stored = await Gateway.Admin.GetAsync("/admin/v1/policies/mistaken");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var mistakes = problem["errors"]!["document"]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Equal(2, mistakes.Count);
        Assert.StartsWith("stored policy mistaken:2: Statement[0] (Sid \"A\"): Effect:", mistakes[0]);
        Assert.StartsWith("stored policy mistaken:3: Statement[1] (Sid \"B\"): Condition.StringEquals:", mistakes[1]);
        Assert.Contains("gate:Countryy", mistakes[1]);
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Theory]
    [InlineData("Bad Id", """{"document": "{}", "gateway": true}""", HttpStatusCode.BadRequest, "id")]
    [InlineData("p", """{"gateway": true}""", HttpStatusCode.BadRequest, "document")]
    [InlineData("p", """{"document": "{\"Statement\": []}"}""", HttpStatusCode.BadRequest, "organizations")]
    [InlineData("p", """{"document": "{\"Statement\": []}", "organizations": ["org_nowhere"]}""", HttpStatusCode.NotFound, "org_nowhere")]
    public async Task BadPuts_AreRefused_NamingWhatIsWrong(string id, string body, HttpStatusCode expected, string named)
    {
        using var response = await Gateway.Admin.PutAsync($"/admin/v1/policies/{Uri.EscapeDataString(id)}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task APolicyThatWasNeverStored_IsNotFound_ToDeleteOrForItsVersions()
    {
        using var deleted = await Gateway.Admin.DeleteAsync("/admin/v1/policies/never-stored");
        using var versions = await Gateway.Admin.GetAsync("/admin/v1/policies/never-stored/versions");

        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
    }

    [Fact]
    public async Task AStoredGatewayPolicy_JudgesEndpointCreation()
    {
        const string NoEndpointsInApac = """
            {"Statement": [
              {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Sid": "NoEndpointsInApac", "Effect": "Deny", "Action": "endpoint:Create", "Resource": "endpoint/ap-*"}
            ]}
            """;
        using var put = await PutAsync("no-apac-endpoints", new PutPolicyRequest(NoEndpointsInApac, Gateway: true));

        using var refused = await Gateway.Admin.PostAsJsonAsync("/admin/v1/endpoints",
            new CreateEndpointRequest("llama-ap-south", GatewayFixture.OpenAIModel, "ap-south", "openai", "http://127.0.0.1:9"));
        using var deleted = await Gateway.Admin.DeleteAsync("/admin/v1/policies/no-apac-endpoints");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("stored policy no-apac-endpoints", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }
}
