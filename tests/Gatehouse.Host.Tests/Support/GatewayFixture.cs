namespace Gatehouse.Host.Tests.Support;

/// <summary>One gateway shared by the tests of a class, with the standard test configuration.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string AnthropicModel = "open-claude";
    public const string AnthropicAlias = "open-claude-latest";
    public const string AnthropicUpstreamModel = "claude-upstream-name";
    public const string OpenAIModel = "llama-3.1-405b";
    public const string RestrictedModel = "mythos-5";
    public const string UnreachableModel = "offline-model";
    public const long BodyLimit = 64 * 1024;

    internal GatewayInstance Gateway { get; private set; } = null!;

    public static string Configuration(Uri upstream) => $$"""
        listeners:
          dataPlane: ["http://127.0.0.1:0"]
          admin: ["http://127.0.0.1:0"]
        storage:
          path: gatehouse.db
        limits:
          maxRequestBodySize: {{BodyLimit}}
        {{BundledGeoIp.Section()}}
        models:
          - id: {{AnthropicModel}}
            aliases: [{{AnthropicAlias}}]
          - id: {{OpenAIModel}}
          - id: {{RestrictedModel}}
            classification: restricted
            allowedJurisdictions: [us]
          - id: {{UnreachableModel}}
        endpoints:
          - id: claude-local
            model: {{AnthropicModel}}
            provider: anthropic
            baseUrl: {{upstream}}
            region: local
            apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}}
            upstreamModel: {{AnthropicUpstreamModel}}
          - id: llama-local
            model: {{OpenAIModel}}
            provider: openai
            baseUrl: {{upstream}}
            region: local
            apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}}
          - id: mythos-local
            model: {{RestrictedModel}}
            provider: anthropic
            baseUrl: {{upstream}}
            region: us-east
            apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}}
          - id: offline
            model: {{UnreachableModel}}
            provider: anthropic
            baseUrl: http://127.0.0.1:9
            region: local
        """;

    public async Task InitializeAsync() => Gateway = await GatewayInstance.StartAsync(Configuration);

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
