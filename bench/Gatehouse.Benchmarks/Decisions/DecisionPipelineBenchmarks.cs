using System.Diagnostics.Metrics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Observability;

namespace Gatehouse.Benchmarks.Decisions;

/// <summary>
/// The whole decision for one request, from a configuration read the way the server reads it.
/// The baseline is an open model; a restricted one adds the jurisdiction checks.
/// </summary>
[MemoryDiagnoser]
public class DecisionPipelineBenchmarks : IDisposable
{
    private const string Yaml = """
        jurisdictions:
          us:
            name: the United States
            countries: [US, PR, GU, VI, AS, MP, UM]
          embargoed:
            name: comprehensively embargoed countries
            countries: [CU, IR, KP, SY]
        models:
          - id: open-model
            aliases: [open-latest]
            deniedJurisdictions: [embargoed]
          - id: restricted-model
            classification: restricted
            eccn: 4E091
            allowedJurisdictions: [us]
            deniedJurisdictions: [embargoed]
        endpoints:
          - {id: open-openai, model: open-model, provider: openai, baseUrl: "http://127.0.0.1:18000", region: eu-central}
          - {id: open-anthropic, model: open-model, provider: anthropic, baseUrl: "http://127.0.0.1:18000", region: us-east, apiKeyEnv: BENCH_UPSTREAM_KEY}
          - {id: restricted-us, model: restricted-model, provider: anthropic, baseUrl: "http://127.0.0.1:18000", region: us-east, apiKeyEnv: BENCH_UPSTREAM_KEY}
        """;

    private static readonly IPAddress UsCaller = IPAddress.Parse("198.51.100.23");
    private static readonly IPAddress GermanCaller = IPAddress.Parse("203.0.113.7");

    private DecisionPipeline _pipeline = null!;
    private DecisionPipeline _metered = null!;
    private GatehouseMetrics _metrics = null!;
    private MeterListener _listener = null!;
    private GatewayConfiguration _configuration = null!;
    private DecisionRequest _open = null!;
    private DecisionRequest _restrictedAllowed = null!;
    private DecisionRequest _restrictedDenied = null!;

    [GlobalSetup]
    public void Setup()
    {
        var loaded = ConfigurationLoader.Parse(Yaml, "/bench/gatehouse.yaml", name => name == "BENCH_UPSTREAM_KEY" ? "bench-upstream-key" : null);
        _configuration = loaded.Configuration
            ?? throw new InvalidOperationException("The benchmark configuration is invalid: " + string.Join("; ", loaded.Errors));
        _pipeline = DecisionPipeline.CreateDefault(new TwoCallerLocator(), TimeProvider.System);
        // As served: stage timings on, with a listener that takes each measurement (and keeps none,
        // so that the figure is the pipeline's share, not an exporter's).
        _metrics = new GatehouseMetrics(TimeProvider.System);
        _metered = DecisionPipeline.CreateDefault(new TwoCallerLocator(), TimeProvider.System, metrics: _metrics);
        _listener = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        _listener.Start();

        var created = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var organization = new Organization("org_bench", "bench", created);
        var account = new Account("acc_bench", organization.Id, "bench", null, created)
        {
            Kyc = new KycProfile { Billing = new BillingAddress(null, null, null, null, "US"), CardCountry = "US", RegisteredCountry = "US", Verification = VerificationStatus.Verified },
        };
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var principal = new Principal(new ApiKeyRecord(issued.Id, account.Id, "bench", issued.SecretHash, created), account, organization);

        // The open request skips an endpoint of the other dialect, as a mixed deployment would.
        _open = new DecisionRequest(ClientAddress.Known(GermanCaller), principal, "open-latest", ApiDialect.Anthropic);
        _restrictedAllowed = new DecisionRequest(ClientAddress.Known(UsCaller), principal, "restricted-model", ApiDialect.Anthropic);
        _restrictedDenied = new DecisionRequest(ClientAddress.Known(GermanCaller), principal, "restricted-model", ApiDialect.Anthropic);

        Expect(OpenModel(), ReasonCodes.Allowed);
        Expect(RestrictedModel_Allowed(), ReasonCodes.Allowed);
        Expect(RestrictedModel_Denied(), ReasonCodes.GeoCountryRestricted);
        Expect(RestrictedModel_Allowed_Metered(), ReasonCodes.Allowed);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Decision OpenModel() => _pipeline.Decide(_open, _configuration);

    [Benchmark]
    public Decision RestrictedModel_Allowed() => _pipeline.Decide(_restrictedAllowed, _configuration);

    [Benchmark]
    public Decision RestrictedModel_Denied() => _pipeline.Decide(_restrictedDenied, _configuration);

    [Benchmark]
    public Decision RestrictedModel_Allowed_Metered() => _metered.Decide(_restrictedAllowed, _configuration);

    private static void Expect(Decision decision, string reasonCode)
    {
        if (decision.ReasonCode != reasonCode)
        {
            throw new InvalidOperationException($"Expected {reasonCode}, got {decision.ReasonCode}: {decision.Message}");
        }
    }

    /// <summary>
    /// Stands in for the GeoIP tables at next to no cost, so the figures are the pipeline's own
    /// (GeoLookupBenchmarks measures the lookup). Results are allocated once, as the tables' are.
    /// </summary>
    private sealed class TwoCallerLocator : IGeoLocator
    {
        private static readonly GeoLocation UnitedStates = new("US", NetworkType.Residential, null);
        private static readonly GeoLocation Germany = new("DE", NetworkType.Residential, null);
        private static readonly GeoLocation Unknown = GeoLocation.Unknown("not in the benchmark's table");

        public GeoLocation Locate(IPAddress address) =>
            address.Equals(UsCaller) ? UnitedStates : address.Equals(GermanCaller) ? Germany : Unknown;
    }
}
