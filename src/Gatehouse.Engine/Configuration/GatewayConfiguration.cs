using Gatehouse.Engine.Geo;
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
    public required NetworkSet TrustedProxies { get; init; }
    public required StorageSettings Storage { get; init; }
    public required long MaxRequestBodySize { get; init; }
    public required UpstreamSettings Upstream { get; init; }
    public required GeoSettings Geo { get; init; }
    public AuditSettings Audit { get; init; } = AuditSettings.Default;

    /// <summary>Every named jurisdiction: the built-in ones and those the file defines, by name.</summary>
    public required IReadOnlyList<Jurisdiction> Jurisdictions { get; init; }

    public required ModelCatalog Models { get; init; }

    public required IdentitySettings Identity { get; init; }

    public PolicySettings Policies { get; init; } = PolicySettings.None;

    public ObservabilitySettings Observability { get; init; } = ObservabilitySettings.Default;

    /// <summary>Where the nodes share their counters; null keeps them in this process (one node).</summary>
    public RedisSettings? Redis { get; init; }
}

/// <summary>Where GeoIP data comes from and the Layer 1 rules that hold for every model.</summary>
public sealed class GeoSettings
{
    public required GeoIpSources Sources { get; init; }

    /// <summary>Where private and loopback callers count as being, so in-house clients can use restricted models; null leaves them unplaced.</summary>
    public GeoLocation? PrivateNetworkLocation { get; init; }

    /// <summary>Jurisdictions no model is served to.</summary>
    public required IReadOnlyList<Jurisdiction> Embargo { get; init; }

    /// <summary>Network types restricted models are refused from.</summary>
    public required IReadOnlySet<NetworkType> Anonymizers { get; init; }

    /// <summary>Where a located caller counts as being: private addresses move to <see cref="PrivateNetworkLocation"/> when one is set.</summary>
    public GeoLocation Place(GeoLocation located) =>
        located is { NetworkType: NetworkType.Private, Country: null } && PrivateNetworkLocation is { } inHouse ? inHouse : located;
}

/// <param name="Provider"><see cref="Sqlite"/> or <see cref="Postgres"/>.</param>
/// <param name="StateDirectory">Where the gateway keeps its own files (the audit log's head, the first admin token): beside the SQLite database, or <c>storage.stateDirectory</c>.</param>
public sealed record StorageSettings(string Provider, string StateDirectory)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The SQLite database file.</summary>
    public string? Path { get; init; }

    /// <summary>Where the PostgreSQL server is and who to be; never the password.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The environment variable that holds the PostgreSQL password, when the server asks for one.</summary>
    public string? PasswordVariable { get; init; }

    public static readonly TimeSpan DefaultResyncInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a gateway on a shared store reads everything again, whatever the change
    /// notifications said: the bound on how stale a missed notification can leave it.
    /// </summary>
    public TimeSpan ResyncInterval { get; init; } = DefaultResyncInterval;
}

/// <param name="Enabled">Whether data-plane decisions and admin actions go into the hash-chained log; off only for measuring its cost.</param>
/// <param name="Retention">How long records are kept; null keeps them for ever.</param>
/// <param name="CommitTimeout">How long a request waits for its record to be committed before it is refused with 503.</param>
/// <param name="FlushToDisk">Whether each commit waits for the disk (<c>sync: full</c>, survives power loss) or only the operating system (<c>normal</c>, survives a crash of the gateway).</param>
public sealed record AuditSettings(bool Enabled, TimeSpan? Retention, TimeSpan CommitTimeout, bool FlushToDisk)
{
    public static AuditSettings Default { get; } = new(true, null, TimeSpan.FromSeconds(5), true);
}

public sealed record UpstreamSettings(TimeSpan ConnectTimeout, TimeSpan ActivityTimeout);
