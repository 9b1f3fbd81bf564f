using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Observability;

/// <summary>The gateway the observability tests watch: one restricted model served to US callers, behind the trusted proxy.</summary>
internal static class ObservedGateway
{
    public const string UnitedStates = "9.9.9.9";
    public const string UnitedKingdom = "81.2.69.142";
    public const string Model = "restricted";
    public const string Endpoint = "restricted-us";

    /// <param name="more">More top-level YAML, e.g. an <c>observability</c> section.</param>
    public static string Configuration(Uri upstream, string more = "") => $$"""
        {{GatewayInstance.BehindTrustedProxy}}
        {{more}}
        identity:
          autoSuspend: { outsideDenials: 0 }
        models:
          - id: {{Model}}
            classification: restricted
            allowedJurisdictions: [us]
        endpoints:
          - { id: {{Endpoint}}, model: {{Model}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
        """;

    /// <summary>The part of a data-plane key after its id: what must never be written anywhere.</summary>
    public static string SecretOf(GatewayInstance gateway) => gateway.ApiKey[(gateway.ApiKeyId.Length + 1)..];
}
