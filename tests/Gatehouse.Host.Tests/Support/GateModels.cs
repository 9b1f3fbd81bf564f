namespace Gatehouse.Host.Tests.Support;

/// <summary>The models the gate tests call, on the stub upstream: a restricted one for each API (callers in the US only) and an open one.</summary>
internal static class GateModels
{
    public const string Restricted = "restricted-claude";
    public const string RestrictedOpenAI = "restricted-gpt";
    public const string Open = "open-claude";

    /// <summary>The <c>models</c> and <c>endpoints</c> sections.</summary>
    public static string Sections(Uri upstream) => $$"""
        models:
          - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us] }
          - { id: {{RestrictedOpenAI}}, classification: restricted, allowedJurisdictions: [us] }
          - { id: {{Open}} }
        endpoints:
          - { id: rc, model: {{Restricted}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: rg, model: {{RestrictedOpenAI}}, provider: openai, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: oc, model: {{Open}}, provider: anthropic, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
        """;
}
