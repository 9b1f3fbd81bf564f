using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Usage;

/// <summary>A gateway with priced models in front of the stub upstream, and what the metering tests do with it.</summary>
internal sealed class MeteringGateway(GatewayInstance gateway)
{
    public const string AnthropicModel = "open-claude";
    public const string OpenAIModel = "llama-3.1-405b";
    public const string UnpricedModel = "house-model";
    public const string OfflineModel = "offline-model";

    public GatewayInstance Gateway => gateway;

    /// <param name="anthropicPrice">The Anthropic model's price per million tokens, input and output alike.</param>
    public static string Configuration(Uri upstream, decimal anthropicPrice = 3m) => $$"""
        listeners:
          dataPlane: ["http://127.0.0.1:0"]
          admin: ["http://127.0.0.1:0"]
        models:
          - id: {{AnthropicModel}}
            price: { input: {{anthropicPrice}}, output: {{anthropicPrice * 5}} }
          - id: {{OpenAIModel}}
            price: { input: 0.5, output: 1.5 }
          - id: {{UnpricedModel}}
          - id: {{OfflineModel}}
            price: { input: 1, output: 1 }
        endpoints:
          - { id: claude-local, model: {{AnthropicModel}}, provider: anthropic, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: llama-local, model: {{OpenAIModel}}, provider: openai, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: house-local, model: {{UnpricedModel}}, provider: anthropic, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: offline, model: {{OfflineModel}}, provider: anthropic, baseUrl: "http://127.0.0.1:9", region: local }
        """;

    public sealed record Caller(string OrganizationId, string AccountId, string Key);

    /// <param name="organizationId">An existing organisation to add the account to; a new one when omitted.</param>
    public async Task<Caller> CallerAsync(string? organizationId = null)
    {
        organizationId ??= (await gateway.PostAsync("/admin/v1/organizations", new CreateOrganizationRequest("Metered"), AdminJsonContext.Default.OrganizationView)).Id;
        var account = await gateway.PostAsync("/admin/v1/accounts", GatewayInstance.UsAccount(organizationId, "Metered Holder"), AdminJsonContext.Default.AccountView);
        var key = await gateway.PostAsync("/admin/v1/keys", new CreateApiKeyRequest(account.Id, "metering"), AdminJsonContext.Default.CreatedApiKey);
        return new Caller(organizationId, account.Id, key.Key);
    }

    /// <param name="extra">More JSON members for the body, e.g. <c>"stream":true</c>.</param>
    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(Caller caller, string model, bool openAI = false, string extra = "",
        (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, openAI ? "/v1/chat/completions" : "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":8,"messages":[{"role":"user","content":"hi"}]{{(extra.Length > 0 ? "," + extra : "")}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Key);
        if (header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<UsageReportView> UsageAsync(string query) =>
        (await gateway.Admin.GetFromJsonAsync($"/admin/v1/usage?{query}", AdminJsonContext.Default.UsageReportView))!;

    /// <summary>The account's usage of one model, grouped by model, or null when it has none.</summary>
    public async Task<UsageRowView?> UsageOfAsync(Caller caller, string model) =>
        (await UsageAsync($"accountId={caller.AccountId}&by=model")).Rows.SingleOrDefault(r => r.Model == model);
}
