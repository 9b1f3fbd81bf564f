using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// What the gate tests do over and over: make an organisation, account and key through the
/// admin API, and call the data plane through the trusted proxy so that X-Forwarded-For places
/// the caller.
/// </summary>
internal sealed class GateCalls(GatewayInstance gateway, HttpClient viaProxy)
{
    public sealed record Caller(string OrganizationId, string AccountId, string KeyId, string Key);

    public sealed record Answer(HttpStatusCode Status, string Reason, JsonNode Body, HttpResponseMessage Response)
    {
        public string Message => (string)(Body["error"]!["message"] ?? "")!;

        public string RequestId => Response.Headers.GetValues("request-id").Single();
    }

    public async Task<Caller> CallerAsync(string billing = "US", string? card = "US", string? registered = "US", string verification = "verified",
        CreateApiKeyRequest? key = null, string organizationName = "Org", string? organizationLegalName = null, string holder = "Holder")
    {
        var organization = await gateway.PostAsync("/admin/v1/organizations", new CreateOrganizationRequest(organizationName, organizationLegalName), AdminJsonContext.Default.OrganizationView);
        var account = await gateway.PostAsync("/admin/v1/accounts", new CreateAccountRequest(organization.Id, holder, null,
            new BillingAddressView(null, null, null, null, billing), RegisteredCountry: registered, CardCountry: card,
            Verification: new VerificationRequest(verification)), AdminJsonContext.Default.AccountView);
        var created = await KeyAsync(account.Id, key);
        return new Caller(organization.Id, account.Id, created.Id, created.Key);
    }

    public Task<CreatedApiKey> KeyAsync(string accountId, CreateApiKeyRequest? key = null) =>
        gateway.PostAsync("/admin/v1/keys", (key ?? new CreateApiKeyRequest(null, "k")) with { AccountId = accountId, Name = "k" }, AdminJsonContext.Default.CreatedApiKey);

    /// <param name="openAI">Send to /v1/chat/completions instead of /v1/messages.</param>
    /// <param name="header">One more request header, as <c>name: value</c>.</param>
    public Task<Answer> SendAsync(string key, string from, string model, bool openAI = false, (string Name, string Value)? header = null) =>
        SendAsync(viaProxy, key, from, model, openAI, header);

    /// <summary>The same call through any data-plane client (its base address a gateway behind a proxy it trusts).</summary>
    public static async Task<Answer> SendAsync(HttpClient viaProxy, string key, string from, string model, bool openAI = false, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, openAI ? "/v1/chat/completions" : "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", from);
        if (header is var (name, value))
        {
            request.Headers.Add(name, value);
        }
        var response = await viaProxy.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var decision = response.Headers.TryGetValues("gatehouse-decision", out var values) ? values.Single() : "";
        return new Answer(response.StatusCode, decision.Split(';')[0], body, response);
    }

    public async Task<AccountView> AccountAsync(string id) =>
        (await gateway.Admin.GetFromJsonAsync($"/admin/v1/accounts/{id}", AdminJsonContext.Default.AccountView))!;

    public async Task<List<FlagView>> FlagsAsync(string accountId, string status = "open") =>
        (await gateway.Admin.GetFromJsonAsync($"/admin/v1/flags?accountId={accountId}&status={status}", AdminJsonContext.Default.ListFlagView))!;

    public async Task<HttpClient> AdminWithRoleAsync(string role)
    {
        var token = await gateway.PostAsync("/admin/v1/tokens", new CreateAdminTokenRequest($"{role} test", role), AdminJsonContext.Default.CreatedAdminToken);
        var client = new HttpClient { BaseAddress = gateway.AdminUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }
}
