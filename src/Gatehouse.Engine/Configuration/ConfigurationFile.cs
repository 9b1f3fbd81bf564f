namespace Gatehouse.Engine.Configuration;

// The shape of gatehouse.yaml as written by operators. These types only carry what YamlDotNet
// read; ConfigurationBuilder validates them and produces the frozen GatewayConfiguration.

internal sealed class ConfigurationFile
{
    public ListenersSection? Listeners { get; init; }
    public List<string>? TrustedProxies { get; init; }
    public StorageSection? Storage { get; init; }
    public LimitsSection? Limits { get; init; }
    public UpstreamSection? Upstream { get; init; }
    public GeoSection? Geo { get; init; }
    public Dictionary<string, JurisdictionSection>? Jurisdictions { get; init; }
    public List<ModelSection>? Models { get; init; }
    public List<EndpointSection>? Endpoints { get; init; }
    public IdentitySection? Identity { get; init; }
    public PoliciesSection? Policies { get; init; }
    public ObservabilitySection? Observability { get; init; }
    public AuditSection? Audit { get; init; }
    public RedisSection? Redis { get; init; }
}

internal sealed class RedisSection
{
    public string? Configuration { get; init; }
    public string? PasswordEnv { get; init; }
    public string? OnUnavailable { get; init; }
    public string? KeyPrefix { get; init; }
    public string? Timeout { get; init; }
}

internal sealed class ObservabilitySection
{
    public string? LogFormat { get; init; }
    public string? OtlpEndpoint { get; init; }
    public string? OtlpProtocol { get; init; }
    public bool? MetricsRequireToken { get; init; }
}

internal sealed class AuditSection
{
    public bool? Enabled { get; init; }
    public string? Retention { get; init; }
    public string? CommitTimeout { get; init; }
    public string? Sync { get; init; }
}

internal sealed class PoliciesSection
{
    public List<string>? Gateway { get; init; }
    public Dictionary<string, List<string>>? Organizations { get; init; }
}

internal sealed class ListenersSection
{
    public List<string>? DataPlane { get; init; }
    public List<string>? Admin { get; init; }
}

internal sealed class StorageSection
{
    public string? Provider { get; init; }
    public string? Path { get; init; }
    public string? ConnectionString { get; init; }
    public string? PasswordEnv { get; init; }
    public string? StateDirectory { get; init; }
    public string? Resync { get; init; }
}

internal sealed class LimitsSection
{
    public string? MaxRequestBodySize { get; init; }
}

internal sealed class UpstreamSection
{
    public string? ConnectTimeout { get; init; }
    public string? ActivityTimeout { get; init; }
}

internal sealed class GeoSection
{
    public List<string>? Databases { get; init; }
    public List<string>? AsnRanges { get; init; }
    public string? NetworkList { get; init; }
    public string? TorExitList { get; init; }
    public string? PrivateNetworkCountry { get; init; }
    public List<string>? Embargo { get; init; }
    public List<string>? Anonymizers { get; init; }
}

internal sealed class JurisdictionSection
{
    public string? Name { get; init; }
    public List<string>? Countries { get; init; }
}

internal sealed class ModelSection
{
    public string? Id { get; init; }
    public string? DisplayName { get; init; }
    public List<string>? Aliases { get; init; }
    public string? Classification { get; init; }
    public string? Eccn { get; init; }
    public List<string>? AllowedJurisdictions { get; init; }
    public List<string>? DeniedJurisdictions { get; init; }
    public string? Substitute { get; init; }
    public PriceSection? Price { get; init; }
}

internal sealed class PriceSection
{
    public decimal? Input { get; init; }
    public decimal? Output { get; init; }
}

internal sealed class EndpointSection
{
    public string? Id { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }
    public string? BaseUrl { get; init; }
    public string? Region { get; init; }
    public string? ApiKeyEnv { get; init; }
    public string? UpstreamModel { get; init; }
}

internal sealed class IdentitySection
{
    public Dictionary<string, IdentityRuleSection>? Classifications { get; init; }
    public AutoSuspendSection? AutoSuspend { get; init; }
    public SanctionsSection? Sanctions { get; init; }
}

internal sealed class SanctionsSection
{
    public double? Threshold { get; init; }
    public string? OnMatch { get; init; }
}

internal sealed class IdentityRuleSection
{
    public List<string>? Countries { get; init; }
    public bool? RequireVerification { get; init; }
    public bool? VpnMismatch { get; init; }
    public bool? RefuseFlagged { get; init; }
}

internal sealed class AutoSuspendSection
{
    public int? OutsideDenials { get; init; }
    public string? Window { get; init; }
    public bool? OnVpnMismatch { get; init; }
}
