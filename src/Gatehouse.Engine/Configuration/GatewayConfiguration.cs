using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Configuration;

/// <summary>
/// The validated, frozen form of gatehouse.yaml. A new instance replaces the old one whole on
/// reload, so readers take one reference and never see a half-applied change.
/// </summary>
public sealed class GatewayConfiguration
{
    public const long DefaultMaxRequestBodySize = 10 * 1024 * 1024;

    public required string SourcePath { get; init; }
    public required IReadOnlyList<ListenAddress> DataPlaneListeners { get; init; }
    public required IReadOnlyList<ListenAddress> AdminListeners { get; init; }
    public required TrustedProxies TrustedProxies { get; init; }
    public required StorageSettings Storage { get; init; }
    public required long MaxRequestBodySize { get; init; }
    public required UpstreamSettings Upstream { get; init; }
    public required ModelCatalog Models { get; init; }
}

public sealed record StorageSettings(string Provider, string Path);

public sealed record UpstreamSettings(TimeSpan ConnectTimeout, TimeSpan ActivityTimeout);
