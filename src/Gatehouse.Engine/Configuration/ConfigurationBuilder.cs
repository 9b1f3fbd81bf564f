using System.Collections.Frozen;
using System.Net;
using System.Text.RegularExpressions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Configuration;

/// <summary>Validates the bound file section by section, reporting every problem, and builds the frozen model.</summary>
internal static partial class ConfigurationBuilder
{
    public const string DefaultDataPlaneListener = "http://127.0.0.1:8080";
    public const string DefaultAdminListener = "http://127.0.0.1:8081";
    public const string DefaultStoragePath = "gatehouse.db";
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromMinutes(10);

    public static GatewayConfiguration? Build(ConfigurationFile file, string fullPath, ConfigurationErrors errors, Func<string, string?> environment)
    {
        var dataPlane = Listeners(file.Listeners?.DataPlane, "listeners.dataPlane", DefaultDataPlaneListener, errors);
        var admin = Listeners(file.Listeners?.Admin, "listeners.admin", DefaultAdminListener, errors);
        CheckListenersApart(dataPlane, admin, errors);

        var trustedProxies = Proxies(file.TrustedProxies, errors);
        var storage = Storage(file.Storage, Path.GetDirectoryName(fullPath)!, environment, errors);
        var maxBody = Size(file.Limits?.MaxRequestBodySize, "limits.maxRequestBodySize", GatewayConfiguration.DefaultMaxRequestBodySize, errors);
        var upstream = new UpstreamSettings(
            Time(file.Upstream?.ConnectTimeout, "upstream.connectTimeout", DefaultConnectTimeout, errors),
            Time(file.Upstream?.ActivityTimeout, "upstream.activityTimeout", DefaultActivityTimeout, errors));
        var jurisdictions = Jurisdictions(file.Jurisdictions, errors);
        var geo = Geo(file.Geo, Path.GetDirectoryName(fullPath)!, jurisdictions, errors);
        var endpointsByModel = Endpoints(file.Endpoints, file.Models, environment, errors);
        var identity = Identity(file.Identity, errors);
        var models = Models(file.Models, jurisdictions, endpointsByModel, identity, errors);
        var policies = Policies(file.Policies, Path.GetDirectoryName(fullPath)!, errors);
        var observability = Observability(file.Observability, errors);
        var audit = Audit(file.Audit, errors);
        var redis = Redis(file.Redis, environment, errors);

        if (errors.Count > 0)
        {
            return null;
        }
        return new GatewayConfiguration
        {
            SourcePath = fullPath,
            DataPlaneListeners = dataPlane,
            AdminListeners = admin,
            TrustedProxies = trustedProxies,
            Storage = storage,
            MaxRequestBodySize = maxBody,
            Upstream = upstream,
            Geo = geo,
            Jurisdictions = [.. jurisdictions.Values.OrderBy(j => j.Key, StringComparer.Ordinal)],
            Models = new ModelCatalog(models),
            Identity = identity,
            Policies = policies,
            Observability = observability,
            Audit = audit,
            Redis = redis,
        };
    }

    private static RedisSettings? Redis(RedisSection? section, Func<string, string?> environment, ConfigurationErrors errors)
    {
        if (section is null)
        {
            return null;
        }
        var configuration = section.Configuration ?? "";
        if (string.IsNullOrWhiteSpace(configuration))
        {
            errors.Add("redis.configuration", "is required: a StackExchange.Redis configuration string without the password, e.g. \"redis.internal:6379\"");
        }
        else if (RedisSettings.HoldsPassword(configuration))
        {
            errors.Add("redis.configuration", "must not hold the password; name the environment variable that does in redis.passwordEnv");
        }
        CheckPasswordVariable(section.PasswordEnv, "redis.passwordEnv", environment, errors);
        var onUnavailable = CountersUnavailableAction.RefuseRestricted;
        if (section.OnUnavailable is { } name && !RedisSettings.Actions.TryGetValue(name, out onUnavailable))
        {
            errors.Add("redis.onUnavailable", $"'{name}' is not one of {string.Join(", ", RedisSettings.Actions.Keys)}");
        }
        var prefix = section.KeyPrefix ?? RedisSettings.DefaultKeyPrefix;
        if (string.IsNullOrWhiteSpace(prefix) || prefix.Any(char.IsWhiteSpace))
        {
            errors.Add("redis.keyPrefix", $"'{prefix}' is not a key prefix; use letters, digits and punctuation without spaces, e.g. {RedisSettings.DefaultKeyPrefix}");
        }
        var settings = new RedisSettings(configuration, section.PasswordEnv, onUnavailable, prefix, Time(section.Timeout, "redis.timeout", RedisSettings.DefaultTimeout, errors));
        if (!string.IsNullOrWhiteSpace(configuration) && !settings.Servers.Any())
        {
            errors.Add("redis.configuration", "names no server; start it with host:port, e.g. \"redis.internal:6379,ssl=true\"");
        }
        return settings;
    }

    private static AuditSettings Audit(AuditSection? section, ConfigurationErrors errors)
    {
        var defaults = AuditSettings.Default;
        if (section?.Sync is { } sync and not ("full" or "normal"))
        {
            errors.Add("audit.sync", $"'{sync}' is not full or normal");
        }
        return new AuditSettings(
            section?.Enabled ?? defaults.Enabled,
            section?.Retention is { } retention ? Time(retention, "audit.retention", TimeSpan.Zero, errors) : null,
            Time(section?.CommitTimeout, "audit.commitTimeout", defaults.CommitTimeout, errors),
            section?.Sync is { } mode ? mode != "normal" : defaults.FlushToDisk);
    }

    private static ObservabilitySettings Observability(ObservabilitySection? section, ConfigurationErrors errors)
    {
        var defaults = ObservabilitySettings.Default;
        var logFormat = defaults.LogFormat;
        if (section?.LogFormat is { } format && !EnumNames<LogFormat>.TryParse(format, out logFormat))
        {
            errors.Add("observability.logFormat", $"'{format}' is not one of {string.Join(", ", EnumNames<LogFormat>.All)}");
        }
        var protocol = defaults.OtlpProtocol;
        if (section?.OtlpProtocol is { } name && !EnumNames<OtlpProtocol>.TryParse(name, out protocol))
        {
            errors.Add("observability.otlpProtocol", $"'{name}' is not one of {string.Join(", ", EnumNames<OtlpProtocol>.All)}");
        }
        Uri? endpoint = null;
        if (section?.OtlpEndpoint is { } text &&
            (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Query.Length > 0))
        {
            errors.Add("observability.otlpEndpoint", $"'{text}' is not an http(s) URL without a query, e.g. http://otel-collector:4318");
        }
        return new ObservabilitySettings(logFormat, endpoint, protocol, section?.MetricsRequireToken ?? defaults.MetricsRequireToken);
    }

    private static PolicySettings Policies(PoliciesSection? section, string baseDirectory, ConfigurationErrors errors)
    {
        if (section is null)
        {
            return PolicySettings.None;
        }
        var organizations = new Dictionary<string, PolicySet>(StringComparer.Ordinal);
        foreach (var (organization, files) in section.Organizations ?? [])
        {
            organizations[organization] = PolicySetOf(files, $"policies.organizations.{organization}", baseDirectory, errors);
        }
        return new PolicySettings(PolicySetOf(section.Gateway, "policies.gateway", baseDirectory, errors), organizations.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The policy files read and compiled; every mistake in them is reported with its own file, line, statement and field.</summary>
    private static PolicySet PolicySetOf(List<string>? files, string field, string baseDirectory, ConfigurationErrors errors)
    {
        var documents = new List<PolicyDocument>();
        for (var i = 0; i < (files?.Count ?? 0); i++)
        {
            var path = Path.GetFullPath(Path.Combine(baseDirectory, files![i] ?? ""));
            try
            {
                documents.Add(PolicyDocument.Parse(File.ReadAllText(path), path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{field}[{i}]", $"cannot read {path}: {e.Message}");
            }
            catch (PolicyException e)
            {
                foreach (var error in e.Errors)
                {
                    errors.Add($"{field}[{i}]", error.ToString());
                }
            }
        }
        return documents.Count == 0 ? PolicySet.Empty : PolicySet.Compile(documents);
    }

    private static List<ListenAddress> Listeners(List<string>? values, string field, string fallback, ConfigurationErrors errors)
    {
        if (values is null)
        {
            values = [fallback];
        }
        else if (values.Count == 0)
        {
            errors.Add(field, "needs at least one address, e.g. " + fallback);
        }
        var addresses = new List<ListenAddress>();
        for (var i = 0; i < values.Count; i++)
        {
            if (ListenAddress.TryParse(values[i] ?? "", out var address, out var error))
            {
                addresses.Add(address);
            }
            else
            {
                errors.Add($"{field}[{i}]", error);
            }
        }
        return addresses;
    }

    private static void CheckListenersApart(List<ListenAddress> dataPlane, List<ListenAddress> admin, ConfigurationErrors errors)
    {
        for (var i = 0; i < admin.Count; i++)
        {
            var clash = dataPlane.FirstOrDefault(d => d.Port == admin[i].Port && d.Port != 0 &&
                (d.BindAddress.Equals(admin[i].BindAddress) || d.IsWildcard || admin[i].IsWildcard));
            if (clash is not null)
            {
                errors.Add($"listeners.admin[{i}]", $"{admin[i]} overlaps the data-plane listener {clash}; the admin API must listen on its own port");
            }
        }
    }

    private static NetworkSet Proxies(List<string>? values, ConfigurationErrors errors)
    {
        var networks = new List<IPNetwork>();
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (NetworkSet.TryParseNetwork(values![i] ?? "", out var network))
            {
                networks.Add(network.Value);
            }
            else
            {
                errors.Add($"trustedProxies[{i}]", $"'{values[i]}' is not an address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32, 192.0.2.10)");
            }
        }
        return new NetworkSet(networks);
    }

    private static StorageSettings Storage(StorageSection? section, string baseDirectory, Func<string, string?> environment, ConfigurationErrors errors)
    {
        var provider = section?.Provider ?? StorageSettings.Sqlite;
        if (provider == StorageSettings.Postgres)
        {
            return PostgresStorage(section!, baseDirectory, environment, errors);
        }
        if (provider != StorageSettings.Sqlite)
        {
            errors.Add("storage.provider", $"unknown provider '{provider}'; this build supports: sqlite, postgres");
        }
        foreach (var (value, field) in new[] { (section?.ConnectionString, "connectionString"), (section?.PasswordEnv, "passwordEnv"), (section?.StateDirectory, "stateDirectory"), (section?.Resync, "resync") })
        {
            if (value is not null)
            {
                errors.Add($"storage.{field}", "is for provider: postgres; SQLite keeps its files beside storage.path");
            }
        }
        var path = section?.Path ?? DefaultStoragePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add("storage.path", "must name the database file");
        }
        var fullPath = Path.GetFullPath(path, baseDirectory);
        return new StorageSettings(provider, Path.GetDirectoryName(fullPath)!) { Path = fullPath };
    }

    private static StorageSettings PostgresStorage(StorageSection section, string baseDirectory, Func<string, string?> environment, ConfigurationErrors errors)
    {
        if (section.Path is not null)
        {
            errors.Add("storage.path", "is for provider: sqlite; PostgreSQL is reached through storage.connectionString");
        }
        if (string.IsNullOrWhiteSpace(section.ConnectionString))
        {
            errors.Add("storage.connectionString", "is required for provider: postgres, e.g. \"Host=db.internal;Username=gatehouse;Database=gatehouse\"");
        }
        else
        {
            try
            {
                var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = section.ConnectionString };
                if (keys.ContainsKey("password") || keys.ContainsKey("pwd"))
                {
                    errors.Add("storage.connectionString", "must not hold the password; name the environment variable that does in storage.passwordEnv");
                }
            }
            catch (ArgumentException)
            {
                errors.Add("storage.connectionString", "is not a connection string; write Key=value pairs separated by ';'");
            }
        }
        CheckPasswordVariable(section.PasswordEnv, "storage.passwordEnv", environment, errors);
        if (section.StateDirectory is { } directory && string.IsNullOrWhiteSpace(directory))
        {
            errors.Add("storage.stateDirectory", "must name a folder");
        }
        return new StorageSettings(StorageSettings.Postgres, Path.GetFullPath(section.StateDirectory ?? ".", baseDirectory))
        {
            ConnectionString = section.ConnectionString,
            PasswordVariable = section.PasswordEnv,
            ResyncInterval = Time(section.Resync, "storage.resync", StorageSettings.DefaultResyncInterval, errors),
        };
    }

    /// <summary>A named password variable must be a variable name and set: a server that asks for a password would otherwise refuse every connection later, at run time.</summary>
    private static void CheckPasswordVariable(string? variable, string field, Func<string, string?> environment, ConfigurationErrors errors)
    {
        if (variable is null)
        {
            return;
        }
        if (!EnvironmentVariablePattern().IsMatch(variable))
        {
            errors.Add(field, $"'{variable}' is not an environment variable name");
        }
        else if (environment(variable) is null)
        {
            errors.Add(field, $"the environment variable {variable} is not set");
        }
    }

    private static long Size(string? text, string field, long fallback, ConfigurationErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (!ByteSize.TryParse(text, out var bytes) || bytes <= 0)
        {
            errors.Add(field, $"'{text}' is not a size; write bytes or a number with KiB, MiB or GiB, e.g. 10MiB");
            return fallback;
        }
        return bytes;
    }

    private static TimeSpan Time(string? text, string field, TimeSpan fallback, ConfigurationErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }
        if (!Duration.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            errors.Add(field, $"'{text}' is not a duration; write a number with ms, s, m, h or d, e.g. 30s");
            return fallback;
        }
        return duration;
    }

    private static GeoSettings Geo(GeoSection? section, string baseDirectory, FrozenDictionary<string, Jurisdiction> jurisdictions, ConfigurationErrors errors)
    {
        string? FullPath(string? path, string field)
        {
            if (path is null)
            {
                return null;
            }
            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add(field, "is empty; name a file, relative to this configuration file or absolute");
                return null;
            }
            return Path.GetFullPath(path, baseDirectory);
        }
        List<string> FullPaths(List<string>? paths, string field) =>
            [.. (paths ?? []).Select((path, i) => FullPath(path ?? "", $"{field}[{i}]")).OfType<string>()];
        var sources = new GeoIpSources(
            FullPaths(section?.Databases, "geo.databases"),
            FullPaths(section?.AsnRanges, "geo.asnRanges"),
            FullPath(section?.NetworkList, "geo.networkList"),
            FullPath(section?.TorExitList, "geo.torExitList"));

        GeoLocation? privateLocation = null;
        if (section?.PrivateNetworkCountry is { } country)
        {
            if (Countries.IsKnown(country))
            {
                privateLocation = new GeoLocation(country, NetworkType.Private, null);
            }
            else
            {
                errors.Add("geo.privateNetworkCountry", $"'{country}' is not an ISO 3166-1 alpha-2 country code (upper case, e.g. US, DE)");
            }
        }

        var anonymizers = new HashSet<NetworkType>();
        var names = section?.Anonymizers ?? ["tor", "vpn"];
        for (var i = 0; i < names.Count; i++)
        {
            if (NetworkTypes.TryParse(names[i], out var type) && type is NetworkType.Tor or NetworkType.Vpn or NetworkType.Hosting)
            {
                anonymizers.Add(type);
            }
            else
            {
                errors.Add($"geo.anonymizers[{i}]", $"'{names[i]}' is not one of tor, vpn, hosting");
            }
        }

        return new GeoSettings
        {
            Sources = sources,
            PrivateNetworkLocation = privateLocation,
            Embargo = JurisdictionList(section?.Embargo ?? [Jurisdiction.EmbargoedKey], "geo.embargo", jurisdictions, errors),
            Anonymizers = anonymizers,
        };
    }

    private static SanctionsSettings Sanctions(SanctionsSection? section, ConfigurationErrors errors)
    {
        var defaults = SanctionsSettings.Default;
        var threshold = section?.Threshold ?? defaults.Threshold;
        if (threshold is <= 0 or > 1 || double.IsNaN(threshold))
        {
            errors.Add("identity.sanctions.threshold", $"must be a score above 0 and at most 1 (default {defaults.Threshold}), not {threshold}");
        }
        var onMatch = defaults.OnMatch;
        if (section?.OnMatch is { } name && !EnumNames<SanctionsMatchAction>.TryParse(name, out onMatch))
        {
            errors.Add("identity.sanctions.onMatch", $"'{name}' is not one of {string.Join(", ", EnumNames<SanctionsMatchAction>.All)}");
        }
        return new SanctionsSettings(threshold, onMatch);
    }

    private static IdentitySettings Identity(IdentitySection? section, ConfigurationErrors errors)
    {
        var classifications = IdentitySettings.Default.Classifications.ToDictionary(StringComparer.Ordinal);
        foreach (var (name, rules) in section?.Classifications ?? [])
        {
            var field = $"identity.classifications.{name}";
            if (!NamePattern().IsMatch(name))
            {
                errors.Add(field, $"'{name}' is not a classification name; use lower-case letters, digits and '-', e.g. restricted");
                continue;
            }
            // A classification's rules start from its built-in ones, so a file can change one check and keep the rest.
            var basis = classifications.GetValueOrDefault(name) ?? IdentityRuleSet.Other;
            var countries = basis.Countries;
            if (rules?.Countries is { } names)
            {
                countries = KycCountries.None;
                for (var i = 0; i < names.Count; i++)
                {
                    countries |= names[i] switch
                    {
                        "billing" => KycCountries.Billing,
                        "card" => KycCountries.Card,
                        "registered" => KycCountries.Registered,
                        _ => Unknown($"{field}.countries[{i}]", names[i]),
                    };
                }
            }
            classifications[name] = new IdentityRuleSet(countries,
                rules?.RequireVerification ?? basis.RequireVerification,
                rules?.VpnMismatch ?? basis.VpnMismatch,
                rules?.RefuseFlagged ?? basis.RefuseFlagged);
        }

        var defaults = AutoSuspendSettings.Default;
        var outsideDenials = section?.AutoSuspend?.OutsideDenials ?? defaults.OutsideDenials;
        if (outsideDenials < 0)
        {
            errors.Add("identity.autoSuspend.outsideDenials", $"must be 0 (never) or a positive count, not {outsideDenials}");
        }
        return new IdentitySettings
        {
            Classifications = classifications.ToFrozenDictionary(StringComparer.Ordinal),
            AutoSuspend = new AutoSuspendSettings(outsideDenials,
                Time(section?.AutoSuspend?.Window, "identity.autoSuspend.window", defaults.Window, errors),
                section?.AutoSuspend?.OnVpnMismatch ?? defaults.OnVpnMismatch),
            Sanctions = Sanctions(section?.Sanctions, errors),
        };

        KycCountries Unknown(string field, string? value)
        {
            errors.Add(field, $"'{value}' is not one of billing, card, registered");
            return KycCountries.None;
        }
    }

    private static FrozenDictionary<string, Jurisdiction> Jurisdictions(Dictionary<string, JurisdictionSection>? sections, ConfigurationErrors errors)
    {
        var result = Jurisdiction.BuiltIn.ToDictionary(j => j.Key, StringComparer.Ordinal);
        foreach (var (key, section) in sections ?? [])
        {
            var field = $"jurisdictions.{key}";
            if (!NamePattern().IsMatch(key))
            {
                errors.Add(field, $"'{key}' is not a jurisdiction name; use lower-case letters, digits and '-', e.g. us or eu-efta");
                continue;
            }
            var entries = new List<string>();
            var codes = section?.Countries ?? [];
            if (codes.Count == 0)
            {
                errors.Add($"{field}.countries", "lists no countries");
            }
            for (var i = 0; i < codes.Count; i++)
            {
                if (Countries.IsKnown(codes[i] ?? "") || Jurisdiction.IsRegionCode(codes[i] ?? ""))
                {
                    entries.Add(codes[i]);
                }
                else
                {
                    errors.Add($"{field}.countries[{i}]", $"'{codes[i]}' is neither an ISO 3166-1 alpha-2 country code (upper case, e.g. US, DE) nor an ISO 3166-2 region code (e.g. UA-43)");
                }
            }
            result[key] = Jurisdiction.Create(key, section?.Name ?? key, entries);
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Dictionary<string, List<EndpointDefinition>> Endpoints(List<EndpointSection>? sections, List<ModelSection>? models, Func<string, string?> environment, ConfigurationErrors errors)
    {
        var modelIds = (models ?? []).Select(m => m?.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byModel = new Dictionary<string, List<EndpointDefinition>>(StringComparer.Ordinal);
        for (var i = 0; i < (sections?.Count ?? 0); i++)
        {
            var section = sections![i];
            var field = $"endpoints[{i}]";
            if (section is null)
            {
                errors.Add(field, "is empty");
                continue;
            }
            var before = errors.Count;
            if (string.IsNullOrWhiteSpace(section.Id))
            {
                errors.Add($"{field}.id", "is required");
            }
            else if (!seen.Add(section.Id))
            {
                errors.Add($"{field}.id", $"'{section.Id}' is used by another endpoint");
            }
            if (string.IsNullOrWhiteSpace(section.Model))
            {
                errors.Add($"{field}.model", "is required");
            }
            else if (!modelIds.Contains(section.Model))
            {
                errors.Add($"{field}.model", $"'{section.Model}' is not the id of a configured model");
            }
            ApiDialect provider = default;
            if (section.Provider is null)
            {
                errors.Add($"{field}.provider", "is required: anthropic or openai");
            }
            else if (!ApiDialects.TryParse(section.Provider, out provider))
            {
                errors.Add($"{field}.provider", $"'{section.Provider}' is not a provider; use anthropic or openai (OpenAI-compatible servers such as vLLM, llama.cpp and Ollama are openai)");
            }
            Uri? baseUrl = null;
            if (section.BaseUrl is null)
            {
                errors.Add($"{field}.baseUrl", "is required, e.g. https://api.anthropic.com");
            }
            else if (!Uri.TryCreate(section.BaseUrl, UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https") || baseUrl.Query.Length > 0)
            {
                errors.Add($"{field}.baseUrl", $"'{section.BaseUrl}' is not an http(s) URL without a query");
            }
            if (string.IsNullOrWhiteSpace(section.Region) || !NamePattern().IsMatch(section.Region))
            {
                errors.Add($"{field}.region", section.Region is null ? "is required, e.g. us-east" : $"'{section.Region}' is not a region name; use lower-case letters, digits and '-'");
            }
            if (section.ApiKeyEnv is not null && !EnvironmentVariablePattern().IsMatch(section.ApiKeyEnv))
            {
                errors.Add($"{field}.apiKeyEnv", $"'{section.ApiKeyEnv}' is not an environment variable name");
            }
            if (errors.Count != before)
            {
                continue;
            }
            var endpoint = new EndpointDefinition
            {
                Id = section.Id!,
                ModelId = section.Model!,
                Provider = provider,
                BaseUrl = baseUrl!,
                Region = section.Region!,
                UpstreamModel = section.UpstreamModel ?? section.Model!,
                ApiKeyVariable = section.ApiKeyEnv,
                ApiKey = section.ApiKeyEnv is null ? null : environment(section.ApiKeyEnv),
            };
            if (!byModel.TryGetValue(endpoint.ModelId, out var list))
            {
                byModel[endpoint.ModelId] = list = [];
            }
            list.Add(endpoint);
        }
        return byModel;
    }

    private static List<ModelDefinition> Models(List<ModelSection>? sections, FrozenDictionary<string, Jurisdiction> jurisdictions, Dictionary<string, List<EndpointDefinition>> endpoints, IdentitySettings identity, ConfigurationErrors errors)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var models = new List<ModelDefinition>();
        for (var i = 0; i < (sections?.Count ?? 0); i++)
        {
            var section = sections![i];
            var field = $"models[{i}]";
            if (section is null)
            {
                errors.Add(field, "is empty");
                continue;
            }
            if (string.IsNullOrWhiteSpace(section.Id))
            {
                errors.Add($"{field}.id", "is required");
                continue;
            }
            ClaimName(section.Id, $"{field}.id", names, errors);
            var aliases = section.Aliases ?? [];
            for (var a = 0; a < aliases.Count; a++)
            {
                ClaimName(aliases[a] ?? "", $"{field}.aliases[{a}]", names, errors);
            }
            var classification = section.Classification ?? "open";
            if (!NamePattern().IsMatch(classification))
            {
                errors.Add($"{field}.classification", $"'{classification}' is not a classification name; use lower-case letters, digits and '-', e.g. restricted or open");
            }
            var allowed = JurisdictionList(section.AllowedJurisdictions, $"{field}.allowedJurisdictions", jurisdictions, errors);
            var denied = JurisdictionList(section.DeniedJurisdictions, $"{field}.deniedJurisdictions", jurisdictions, errors);
            if (classification == "restricted" && (section.AllowedJurisdictions?.Count ?? 0) == 0)
            {
                errors.Add($"{field}.allowedJurisdictions", $"model '{section.Id}' is classified restricted, so it must name the jurisdictions it is allowed in");
            }
            models.Add(new ModelDefinition
            {
                Id = section.Id,
                DisplayName = section.DisplayName ?? section.Id,
                Aliases = [.. aliases],
                Classification = classification,
                IdentityRules = identity.RulesFor(classification),
                Eccn = section.Eccn,
                AllowedJurisdictions = allowed,
                DeniedJurisdictions = denied,
                Endpoints = endpoints.GetValueOrDefault(section.Id) ?? [],
                Substitute = section.Substitute,
                Price = Price(section.Price, $"{field}.price", errors),
            });
        }
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i].Substitute is { } substitute && (substitute == models[i].Id || !models.Any(m => m.Id == substitute)))
            {
                errors.Add($"models[{sections!.FindIndex(s => s?.Id == models[i].Id)}].substitute",
                    substitute == models[i].Id ? "a model cannot be its own substitute" : $"'{substitute}' is not the id of a configured model");
            }
        }
        return models;
    }

    /// <summary>Both prices are required once <c>price</c> is given: a model half priced would be billed as if its other tokens were free.</summary>
    private static Usage.ModelPrice? Price(PriceSection? section, string field, ConfigurationErrors errors)
    {
        if (section is null)
        {
            return null;
        }
        var input = PricePart(section.Input, $"{field}.input", errors);
        var output = PricePart(section.Output, $"{field}.output", errors);
        return input is { } i && output is { } o ? new Usage.ModelPrice(i, o) : null;
    }

    private static decimal? PricePart(decimal? value, string field, ConfigurationErrors errors)
    {
        switch (value)
        {
            case null:
                errors.Add(field, "is required: US dollars per million tokens, e.g. 3.00 (write 0 for free)");
                return null;
            case < 0 or > Usage.ModelPrice.Maximum:
                errors.Add(field, $"must be between 0 and {Usage.ModelPrice.Maximum} US dollars per million tokens, not {value}");
                return null;
            default:
                return value;
        }
    }

    private static void ClaimName(string name, string field, Dictionary<string, string> names, ConfigurationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(field, "is empty");
        }
        else if (!names.TryAdd(name, field))
        {
            errors.Add(field, $"'{name}' is already used at {names[name]}; model ids and aliases must be unique");
        }
    }

    private static List<Jurisdiction> JurisdictionList(List<string>? entries, string field, FrozenDictionary<string, Jurisdiction> jurisdictions, ConfigurationErrors errors)
    {
        var result = new List<Jurisdiction>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i] ?? "";
            if (jurisdictions.TryGetValue(entry, out var jurisdiction))
            {
                result.Add(jurisdiction);
            }
            else if (Countries.IsKnown(entry))
            {
                result.Add(Jurisdiction.ForCountry(entry));
            }
            else
            {
                var known = jurisdictions.Count == 0 ? "none are defined" : "defined: " + string.Join(", ", jurisdictions.Keys.Order(StringComparer.Ordinal));
                errors.Add($"{field}[{i}]", $"'{entry}' is neither a jurisdiction under 'jurisdictions' ({known}) nor an ISO country code");
            }
        }
        return result;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariablePattern();
}
