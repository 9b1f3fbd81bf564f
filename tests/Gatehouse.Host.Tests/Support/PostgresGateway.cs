namespace Gatehouse.Host.Tests.Support;

/// <summary>The real gateway on a PostgreSQL database, serving one open model from the stub upstream to callers behind the trusted proxy.</summary>
internal static class PostgresGateway
{
    public const string Model = "llama-3.1-405b";

    /// <summary>An address the bundled GeoIP data places in the US.</summary>
    public const string UnitedStates = "9.9.9.9";

    /// <param name="storageSettings">More lines of the <c>storage</c> section, e.g. <c>resync: 1s</c>.</param>
    /// <param name="sections">More top-level sections, e.g. <c>audit: { commitTimeout: 2s }</c>.</param>
    public static Task<GatewayInstance> StartAsync(string connectionString, string storageSettings = "", string sections = "") =>
        GatewayInstance.StartAsync(upstream => $$"""
            {{GatewayInstance.BehindTrustedProxy}}
            storage:
              provider: postgres
              connectionString: "{{connectionString}}"
              {{storageSettings}}
            {{sections}}
            models:
              - { id: {{Model}} }
            endpoints:
              - { id: llama-us, model: {{Model}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
            """);
}
