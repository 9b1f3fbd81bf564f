using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private const string File = "/etc/gatehouse/gatehouse.yaml";

    private static ConfigurationLoadResult Parse(string yaml, Func<string, string?>? environment = null) =>
        ConfigurationLoader.Parse(yaml, File, environment ?? (_ => null));

    private static ConfigurationError SingleError(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Parse_EmptyFile_GivesDefaults()
    {
        var configuration = Parse("").Configuration!;

        Assert.Equal("http://127.0.0.1:8080", configuration.DataPlaneListeners.Single().ToString());
        Assert.Equal("http://127.0.0.1:8081", configuration.AdminListeners.Single().ToString());
        Assert.Equal("/etc/gatehouse/gatehouse.db", configuration.Storage.Path);
        Assert.Equal(GatewayConfiguration.DefaultMaxRequestBodySize, configuration.MaxRequestBodySize);
    }

    [Fact]
    public void Parse_ReferenceExample_IsValid()
    {
        var path = Path.Combine(RepositoryRoot.Path, "examples", "export-control.yaml");

        var result = ConfigurationLoader.Load(path, _ => "key");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var mythos = Assert.Single(result.Configuration!.Models.All, m => m.Id == "mythos-5");
        Assert.True(mythos.IsRestricted);
        Assert.NotNull(mythos.AllowingJurisdiction(new GeoLocation("PR", NetworkType.Residential, null)));
        Assert.Null(mythos.AllowingJurisdiction(new GeoLocation("GB", NetworkType.Residential, null)));
        Assert.NotEmpty(result.Configuration.Geo.Sources.Databases);
        Assert.Equal(Jurisdiction.EmbargoedKey, Assert.Single(result.Configuration.Geo.Embargo).Key);
        Assert.True(result.Configuration.Models.TryResolve("fable-5-latest", out var fable));
        Assert.Equal("fable-5", fable.Id);
    }

    [Fact]
    public void Parse_ClusterExample_IsValid_OnPostgresAndRedis()
    {
        var result = ConfigurationLoader.Load(Path.Combine(RepositoryRoot.Path, "examples", "cluster.yaml"), _ => "set");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(StorageSettings.Postgres, result.Configuration!.Storage.Provider);
        Assert.Equal(CountersUnavailableAction.RefuseRestricted, result.Configuration.Redis?.OnUnavailable);
    }

    [Fact]
    public void Parse_Price_IsReadPerMillionTokens()
    {
        var configuration = Parse("models:\n  - id: a\n    price: { input: 15.00, output: 75.5 }\n  - id: b\n").Configuration!;

        Assert.Equal(new Engine.Usage.ModelPrice(15m, 75.5m), configuration.Models.All.Single(m => m.Id == "a").Price);
        Assert.Null(configuration.Models.All.Single(m => m.Id == "b").Price);
    }

    [Theory]
    [InlineData("price: { input: -1, output: 2 }", "models[0].price.input", "must be between 0")]
    [InlineData("price: { input: 1 }", "models[0].price.output", "is required")]
    [InlineData("price: { input: 1, output: 200000 }", "models[0].price.output", "must be between 0")]
    [InlineData("price: { input: cheap, output: 2 }", "models[0].price.input", "")]
    [InlineData("price: { input: 1, output: 2, cached: 1 }", "models[0].price.cached", "unknown field")]
    public void Parse_BadPrice_NamesLineAndField(string price, string field, string message)
    {
        var error = SingleError($"models:\n  - id: a\n    {price}\n");

        Assert.Equal(3, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_UnknownField_NamesLineAndField()
    {
        var error = SingleError("models:\n  - id: a\n    clasification: open\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("models[0].clasification", error.Field);
        Assert.Contains("unknown field 'clasification'", error.Message);
    }

    [Fact]
    public void Parse_SyntaxError_NamesLine()
    {
        var error = SingleError("models:\n  - id: a\n   bad indent: [\n");

        Assert.True(error.Line >= 3);
        Assert.Equal("(syntax)", error.Field);
    }

    [Fact]
    public void Parse_ScalarWhereListExpected_SaysSo()
    {
        var error = SingleError("trustedProxies: 10.0.0.0/8\n");

        Assert.Equal(1, error.Line);
        Assert.Contains("expected a list", error.Message);
    }

    [Fact]
    public void Parse_SeveralErrors_AreAllReportedInLineOrder()
    {
        var result = Parse("""
            listeners:
              dataPlane: ["http://127.0.0.1:80a"]
            trustedProxies: ["10.0.0.0/33", "192.0.2.1"]
            models:
              - id: a
                allowedJurisdictions: [atlantis]
            endpoints:
              - id: e
                model: b
                provider: azure
                baseUrl: not a url
                region: Bad_Region
            """);

        Assert.Equal(
            [
                (2, "listeners.dataPlane[0]"), (3, "trustedProxies[0]"), (6, "models[0].allowedJurisdictions[0]"),
                (9, "endpoints[0].model"), (10, "endpoints[0].provider"), (11, "endpoints[0].baseUrl"), (12, "endpoints[0].region"),
            ],
            result.Errors.Select(e => (e.Line, e.Field)));
        Assert.All(result.Errors, e => Assert.Equal(File, e.File));
    }

    [Fact]
    public void Parse_DuplicateAliasAcrossModels_IsRejected()
    {
        var error = SingleError("models:\n  - id: a\n    aliases: [x]\n  - id: b\n    aliases: [x]\n");

        Assert.Equal(5, error.Line);
        Assert.Contains("already used at models[0].aliases[0]", error.Message);
    }

    [Fact]
    public void Parse_RestrictedWithoutJurisdictions_IsRejected()
    {
        var error = SingleError("models:\n  - id: a\n    classification: restricted\n");

        Assert.Equal("models[0].allowedJurisdictions", error.Field);
    }

    [Fact]
    public void Parse_UnknownCountryCode_IsRejected()
    {
        var error = SingleError("jurisdictions:\n  us:\n    countries: [US, XX]\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("jurisdictions.us.countries[1]", error.Field);
    }

    [Fact]
    public void Parse_AdminOnDataPlanePort_IsRejected()
    {
        var error = SingleError("listeners:\n  dataPlane: [\"http://0.0.0.0:8080\"]\n  admin: [\"http://127.0.0.1:8080\"]\n");

        Assert.Equal("listeners.admin[0]", error.Field);
        Assert.Contains("own port", error.Message);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443", "terminate TLS")]
    [InlineData("http://example.com:80", "IP address")]
    [InlineData("http://127.0.0.1", "HOST:PORT")]
    [InlineData("http://127.0.0.1:99999", "out of range")]
    public void Parse_BadListenAddress_Explains(string address, string expected)
    {
        var error = SingleError($"listeners:\n  dataPlane: [\"{address}\"]\n");

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("512KiB", 512 * 1024)]
    [InlineData("10MiB", 10 * 1024 * 1024)]
    [InlineData("1048576", 1048576)]
    public void Parse_BodySize_AcceptsUnits(string text, long bytes)
    {
        Assert.Equal(bytes, Parse($"limits:\n  maxRequestBodySize: {text}\n").Configuration!.MaxRequestBodySize);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("0")]
    [InlineData("5TB")]
    public void Parse_BadBodySize_IsRejected(string text)
    {
        Assert.Equal("limits.maxRequestBodySize", SingleError($"limits:\n  maxRequestBodySize: {text}\n").Field);
    }

    [Fact]
    public void Parse_Durations_AcceptUnitsAndRejectGarbage()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Parse("upstream:\n  connectTimeout: 1500ms\n").Configuration!.Upstream.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), Parse("upstream:\n  activityTimeout: 2m\n").Configuration!.Upstream.ActivityTimeout);
        Assert.Equal("upstream.connectTimeout", SingleError("upstream:\n  connectTimeout: soon\n").Field);
    }

    [Fact]
    public void Parse_EndpointKey_IsReadFromTheNamedVariableAndMissingOneIsFlagged()
    {
        const string yaml = "models:\n  - id: m\nendpoints:\n  - id: e\n    model: m\n    provider: anthropic\n    baseUrl: https://api.example.com\n    region: us-east\n    apiKeyEnv: UPSTREAM_KEY\n";

        var withKey = Parse(yaml, name => name == "UPSTREAM_KEY" ? "secret" : null).Configuration!.Models.All[0].Endpoints[0];
        var withoutKey = Parse(yaml).Configuration!.Models.All[0].Endpoints[0];

        Assert.Equal("secret", withKey.ApiKey);
        Assert.False(withKey.IsMissingApiKey);
        Assert.True(withoutKey.IsMissingApiKey);
        Assert.DoesNotContain("secret", withKey.ToString());
    }

    [Theory]
    [InlineData("models:\n  - { id: m, substitute: nope }\n", "'nope' is not the id of a configured model")]
    [InlineData("models:\n  - { id: m, substitute: m }\n", "its own substitute")]
    public void Parse_BadSubstitute_IsRejected(string yaml, string expected)
    {
        var error = SingleError(yaml);

        Assert.Equal(("models[0].substitute", 2), (error.Field, error.Line));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_Substitute_IsKeptOnTheModel()
    {
        var models = Parse("models:\n  - { id: m, substitute: open }\n  - { id: open }\n").Configuration!.Models;

        Assert.True(models.TryResolve("m", out var model));
        Assert.Equal("open", model.Substitute);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("anthropic, openai")]
    [InlineData("1")]
    public void Parse_UnknownProvider_IsRejected(string provider)
    {
        var error = SingleError($"models:\n  - id: m\nendpoints:\n  - id: e\n    model: m\n    provider: \"{provider}\"\n    baseUrl: http://127.0.0.1:1\n    region: r\n");

        Assert.Equal("endpoints[0].provider", error.Field);
    }

    [Fact]
    public void Parse_GeoDefaults_EmbargoTorAndVpnNoData()
    {
        var geo = Parse("").Configuration!.Geo;

        Assert.True(geo.Sources.IsEmpty);
        Assert.Equal(Jurisdiction.EmbargoedKey, Assert.Single(geo.Embargo).Key);
        Assert.Equal([NetworkType.Vpn, NetworkType.Tor], geo.Anonymizers.Order());
        Assert.Null(geo.PrivateNetworkLocation);
    }

    [Fact]
    public void Parse_GeoSection_PathsAnchoredAtTheFileAndRulesRead()
    {
        var configuration = Parse("""
            geo:
              databases: [geo/country.mmdb, /srv/geo/asn.mmdb]
              asnRanges: [geo/asn-ipv4.csv]
              networkList: networks.csv
              torExitList: tor.txt
              privateNetworkCountry: DE
              embargo: []
              anonymizers: [tor, hosting]
            jurisdictions:
              occupied: { countries: [UA-43, UA-40] }
            """).Configuration!;
        var geo = configuration.Geo;

        Assert.Equal(["/etc/gatehouse/tor.txt", "/etc/gatehouse/geo/country.mmdb", "/srv/geo/asn.mmdb", "/etc/gatehouse/geo/asn-ipv4.csv", "/etc/gatehouse/networks.csv"], geo.Sources.Files);
        Assert.Equal("DE", geo.PrivateNetworkLocation!.Country);
        Assert.Empty(geo.Embargo);
        Assert.Equal([NetworkType.Hosting, NetworkType.Tor], geo.Anonymizers.Order());
        var occupied = Assert.Single(configuration.Jurisdictions, j => j.Key == "occupied");
        Assert.Equal(["UA-40", "UA-43"], occupied.Regions.Order());
        Assert.Empty(occupied.Countries);
        Assert.Contains(configuration.Jurisdictions, j => j.Key == "us" && j.Countries.Contains("PR"));
    }

    [Theory]
    [InlineData("geo:\n  privateNetworkCountry: XX\n", "geo.privateNetworkCountry")]
    [InlineData("geo:\n  anonymizers: [tor, residential]\n", "geo.anonymizers[1]")]
    [InlineData("geo:\n  embargo: [narnia]\n", "geo.embargo[0]")]
    [InlineData("geo:\n  databases: [\"\"]\n", "geo.databases[0]")]
    [InlineData("jurisdictions:\n  j: { countries: [UA-] }\n", "jurisdictions.j.countries[0]")]
    [InlineData("jurisdictions:\n  j: { countries: [XX-43] }\n", "jurisdictions.j.countries[0]")]
    public void Parse_BadGeoSettings_NameTheField(string yaml, string field)
    {
        Assert.Equal(field, SingleError(yaml).Field);
    }

    [Fact]
    public void Parse_RelativeStoragePath_IsAnchoredAtTheConfigurationFile()
    {
        Assert.Equal("/etc/gatehouse/data/g.db", Parse("storage:\n  path: data/g.db\n").Configuration!.Storage.Path);
        Assert.Equal("storage.provider", SingleError("storage:\n  provider: oracle\n").Field);
    }

    [Fact]
    public void Parse_PostgresStorage_KeepsTheConnectionAndTheVariable_StateBesideTheFile()
    {
        var storage = Parse("storage:\n  provider: postgres\n  connectionString: \"Host=db;Username=gh;Database=gh\"\n  passwordEnv: GH_DB_PASSWORD\n",
            name => name == "GH_DB_PASSWORD" ? "secret" : null).Configuration!.Storage;
        var elsewhere = Parse("storage:\n  provider: postgres\n  connectionString: Host=db\n  stateDirectory: state\n  resync: 5s\n").Configuration!.Storage;

        Assert.Equal(("postgres", "Host=db;Username=gh;Database=gh", "GH_DB_PASSWORD", "/etc/gatehouse", (string?)null),
            (storage.Provider, storage.ConnectionString, storage.PasswordVariable, storage.StateDirectory, storage.Path));
        Assert.DoesNotContain("secret", storage.ToString());
        Assert.Equal("/etc/gatehouse/state", elsewhere.StateDirectory);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), (storage.ResyncInterval, elsewhere.ResyncInterval));
    }

    [Theory]
    [InlineData("storage:\n  provider: postgres\n", "storage.connectionString")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: \"Host=db;Password=hunter2\"\n", "storage.connectionString")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: \"Host=db;=x\"\n", "storage.connectionString")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: Host=db\n  passwordEnv: UNSET_VARIABLE\n", "storage.passwordEnv")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: Host=db\n  passwordEnv: \"not a name\"\n", "storage.passwordEnv")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: Host=db\n  path: g.db\n", "storage.path")]
    [InlineData("storage:\n  path: g.db\n  connectionString: Host=db\n", "storage.connectionString")]
    [InlineData("storage:\n  stateDirectory: state\n", "storage.stateDirectory")]
    [InlineData("storage:\n  resync: 5s\n", "storage.resync")]
    [InlineData("storage:\n  provider: postgres\n  connectionString: Host=db\n  resync: never\n", "storage.resync")]
    public void Parse_BadStorageSettings_NameTheField(string yaml, string field)
    {
        var error = SingleError(yaml);

        Assert.Equal(field, error.Field);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void Parse_NoRedisSection_KeepsCountersInThisProcess()
    {
        Assert.Null(Parse("").Configuration!.Redis);
    }

    [Fact]
    public void Parse_RedisSection_KeepsTheConfigurationAndTheVariable_WithDefaults()
    {
        var redis = Parse("redis:\n  configuration: \"redis-a:6379, redis-b:6380,ssl=true\"\n  passwordEnv: GH_REDIS_PASSWORD\n",
            name => name == "GH_REDIS_PASSWORD" ? "secret" : null).Configuration!.Redis!;
        var tuned = Parse("redis:\n  configuration: 127.0.0.1\n  onUnavailable: countLocally\n  keyPrefix: \"eu:\"\n  timeout: 2s\n").Configuration!.Redis!;

        Assert.Equal(("redis-a:6379, redis-b:6380,ssl=true", "GH_REDIS_PASSWORD", CountersUnavailableAction.RefuseRestricted, "gatehouse:", TimeSpan.FromMilliseconds(500)),
            (redis.Configuration, redis.PasswordVariable, redis.OnUnavailable, redis.KeyPrefix, redis.Timeout));
        Assert.Equal(["redis-a:6379", "redis-b:6380"], redis.Servers);
        Assert.DoesNotContain("secret", redis.ToString());
        Assert.Equal((CountersUnavailableAction.CountLocally, "eu:", TimeSpan.FromSeconds(2), "127.0.0.1"), (tuned.OnUnavailable, tuned.KeyPrefix, tuned.Timeout, string.Join(",", tuned.Servers)));
        Assert.Equal(CountersUnavailableAction.RefuseAll, Parse("redis:\n  configuration: r:6379\n  onUnavailable: refuseAll\n").Configuration!.Redis!.OnUnavailable);
    }

    [Theory]
    [InlineData("redis:\n  keyPrefix: \"x:\"\n", "redis.configuration")]
    [InlineData("redis:\n  configuration: \"  \"\n", "redis.configuration")]
    [InlineData("redis:\n  configuration: \"r:6379,password=hunter2\"\n", "redis.configuration")]
    [InlineData("redis:\n  configuration: \"r:6379, Password = hunter2\"\n", "redis.configuration")]
    [InlineData("redis:\n  configuration: \"ssl=true,abortConnect=false\"\n", "redis.configuration")]
    [InlineData("redis:\n  configuration: r:6379\n  passwordEnv: UNSET_VARIABLE\n", "redis.passwordEnv")]
    [InlineData("redis:\n  configuration: r:6379\n  passwordEnv: \"not a name\"\n", "redis.passwordEnv")]
    [InlineData("redis:\n  configuration: r:6379\n  onUnavailable: refuse\n", "redis.onUnavailable")]
    [InlineData("redis:\n  configuration: r:6379\n  keyPrefix: \"\"\n", "redis.keyPrefix")]
    [InlineData("redis:\n  configuration: r:6379\n  keyPrefix: \"a b\"\n", "redis.keyPrefix")]
    [InlineData("redis:\n  configuration: r:6379\n  timeout: soon\n", "redis.timeout")]
    [InlineData("redis:\n  configuration: r:6379\n  database: 2\n", "redis.database")]
    public void Parse_BadRedisSettings_NameTheFieldAndLine_NeverThePassword(string yaml, string field)
    {
        var error = SingleError(yaml);

        Assert.Equal(field, error.Field);
        Assert.True(error.Line > 0, error.ToString());
        Assert.DoesNotContain("hunter2", error.Message);
    }
}

public sealed class IdentityConfigurationTests
{
    private static ConfigurationLoadResult Parse(string yaml) => ConfigurationLoader.Parse(yaml, "/etc/gatehouse/gatehouse.yaml", _ => null);

    [Fact]
    public void Parse_NoIdentitySection_RestrictedGetsEveryCheck_OthersCountriesOnly()
    {
        var identity = Parse("").Configuration!.Identity;

        Assert.Equal(IdentityRuleSet.Restricted, identity.RulesFor("restricted"));
        Assert.Equal(new IdentityRuleSet(KycCountries.All, false, false, false), identity.RulesFor("open"));
        Assert.Equal(new AutoSuspendSettings(10, TimeSpan.FromHours(1), true), identity.AutoSuspend);
    }

    [Fact]
    public void Parse_PartialRuleSet_KeepsTheBuiltInChecksItDoesNotName()
    {
        var identity = Parse("""
            identity:
              classifications:
                restricted: { countries: [billing], requireVerification: false }
                sovereign: { vpnMismatch: true }
              autoSuspend: { outsideDenials: 0, window: 30m, onVpnMismatch: false }
            """).Configuration!.Identity;

        Assert.Equal(new IdentityRuleSet(KycCountries.Billing, RequireVerification: false, VpnMismatch: true, RefuseFlagged: true), identity.RulesFor("restricted"));
        Assert.Equal(new IdentityRuleSet(KycCountries.All, false, VpnMismatch: true, false), identity.RulesFor("sovereign"));
        Assert.Equal(new AutoSuspendSettings(0, TimeSpan.FromMinutes(30), false), identity.AutoSuspend);
    }

    [Fact]
    public void Parse_EachModel_CarriesItsClassificationsRuleSet()
    {
        var configuration = Parse("""
            identity:
              classifications:
                sovereign: { vpnMismatch: true }
            models:
              - { id: a, classification: restricted, allowedJurisdictions: [us] }
              - { id: b, classification: sovereign }
              - { id: c }
            """).Configuration!;

        Assert.Equal(
            [IdentityRuleSet.Restricted, configuration.Identity.RulesFor("sovereign"), IdentityRuleSet.Other],
            configuration.Models.All.Select(m => m.IdentityRules));
        Assert.True(configuration.Models.All[1].IdentityRules.VpnMismatch);
    }

    [Fact]
    public void Parse_BadIdentityValues_AreAllReportedWithLineAndField()
    {
        var result = Parse("""
            identity:
              classifications:
                restricted: { countries: [billing, shipping] }
                Bad_Name: {}
              autoSuspend:
                outsideDenials: -1
                window: soon
            """);

        Assert.Equal(
        [
            "/etc/gatehouse/gatehouse.yaml:3: identity.classifications.restricted.countries[1]: 'shipping' is not one of billing, card, registered",
            "/etc/gatehouse/gatehouse.yaml:4: identity.classifications.Bad_Name: 'Bad_Name' is not a classification name; use lower-case letters, digits and '-', e.g. restricted",
            "/etc/gatehouse/gatehouse.yaml:6: identity.autoSuspend.outsideDenials: must be 0 (never) or a positive count, not -1",
            "/etc/gatehouse/gatehouse.yaml:7: identity.autoSuspend.window: 'soon' is not a duration; write a number with ms, s, m, h or d, e.g. 30s",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_NoObservabilitySection_TextLogsNoTraceExportOpenMetrics()
    {
        var observability = Parse("").Configuration!.Observability;

        Assert.Equal(ObservabilitySettings.Default, observability);
        Assert.Equal(LogFormat.Text, observability.LogFormat);
        Assert.Null(observability.OtlpEndpoint);
        Assert.False(observability.MetricsRequireToken);
    }

    [Fact]
    public void Parse_ObservabilitySection_IsRead()
    {
        var observability = Parse("""
            observability:
              logFormat: json
              otlpEndpoint: http://otel-collector:4317
              otlpProtocol: grpc
              metricsRequireToken: true
            """).Configuration!.Observability;

        Assert.Equal(new ObservabilitySettings(LogFormat.Json, new Uri("http://otel-collector:4317"), OtlpProtocol.Grpc, true), observability);
    }

    [Fact]
    public void Parse_BadObservabilityValues_AreAllReportedWithLineAndField()
    {
        var result = Parse("""
            observability:
              logFormat: xml
              otlpEndpoint: otel-collector:4318
              otlpProtocol: thrift
            """);

        Assert.Equal(
        [
            "/etc/gatehouse/gatehouse.yaml:2: observability.logFormat: 'xml' is not one of text, json",
            "/etc/gatehouse/gatehouse.yaml:3: observability.otlpEndpoint: 'otel-collector:4318' is not an http(s) URL without a query, e.g. http://otel-collector:4318",
            "/etc/gatehouse/gatehouse.yaml:4: observability.otlpProtocol: 'thrift' is not one of http, grpc",
        ], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_AuditSection_IsRead_AndDefaultsKeepEverythingFlushedToDisk()
    {
        var defaults = Parse("").Configuration!.Audit;
        var audit = Parse("""
            audit:
              retention: 400d
              commitTimeout: 2s
              sync: normal
            """).Configuration!.Audit;

        Assert.Equal(new AuditSettings(true, null, TimeSpan.FromSeconds(5), FlushToDisk: true), defaults);
        Assert.Equal(new AuditSettings(true, TimeSpan.FromDays(400), TimeSpan.FromSeconds(2), FlushToDisk: false), audit);
    }

    [Fact]
    public void Parse_BadAuditValues_AreAllReportedWithLineAndField()
    {
        var result = Parse("""
            audit:
              retention: forever
              commitTimeout: 0s
              sync: sometimes
            """);

        Assert.Equal(
        [
            "/etc/gatehouse/gatehouse.yaml:2: audit.retention: 'forever' is not a duration; write a number with ms, s, m, h or d, e.g. 30s",
            "/etc/gatehouse/gatehouse.yaml:3: audit.commitTimeout: '0s' is not a duration; write a number with ms, s, m, h or d, e.g. 30s",
            "/etc/gatehouse/gatehouse.yaml:4: audit.sync: 'sometimes' is not full or normal",
        ], result.Errors.Select(e => e.ToString()));
    }
}
