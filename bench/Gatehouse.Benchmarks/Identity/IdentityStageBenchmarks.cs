using System.Net;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Benchmarks.Identity;

/// <summary>
/// Layer 2's decision for one request against a warm snapshot of 100,000 accounts and 300,000
/// keys. Each operation takes the next key id from a fixed shuffled list (<see cref="KeysCycled"/>
/// ids: 1,024 stay in the CPU caches, all 300,000 do not), finds its principal in the snapshot and
/// judges it for a model restricted to <c>us</c> and a US residential caller. The baseline is the
/// lookup alone, so the difference is the identity rules' own cost.
/// </summary>
/// <remarks>
/// <c>IdentityCheck_*</c> is <see cref="IdentityRules.Check"/>, the allocation-free core of the
/// identity stage. <c>Stages_*</c> runs <see cref="AccountStage"/> and <see cref="IdentityStage"/>
/// as the pipeline does, on a new <see cref="DecisionContext"/> each time, so it includes the
/// request, the context and its trace list (measured alone in <c>ContextOnly</c>) and the trace
/// entries' strings the stages write.
/// </remarks>
[MemoryDiagnoser]
public class IdentityStageBenchmarks
{
    private const string Yaml = """
        models:
          - id: restricted-model
            classification: restricted
            eccn: 4E091
            allowedJurisdictions: [us]
            deniedJurisdictions: [embargoed]
        endpoints:
          - {id: restricted-us, model: restricted-model, provider: anthropic, baseUrl: "http://127.0.0.1:18000", region: us-east}
        """;

    private static readonly GeoLocation UsResidential = new("US", NetworkType.Residential, null) { Asn = 7922, NetworkName = "COMCAST-7922" };
    private static readonly ClientAddress UsCaller = ClientAddress.Known(IPAddress.Parse("198.51.100.23"));

    private readonly AccountStage _accountStage = new();
    private readonly IdentityStage _identityStage = new();
    private GatewayConfiguration _configuration = null!;
    private ModelDefinition _model = null!;
    private IReadOnlyList<Jurisdiction> _embargo = [];
    private IdentityRuleSet _rules = IdentityRuleSet.Restricted;
    private DateTimeOffset _now;

    /// <summary>Every account billed, paying and registered in the US.</summary>
    private IdentitySnapshot _us = IdentitySnapshot.Empty;

    /// <summary>The same, except that every card was issued in Germany.</summary>
    private IdentitySnapshot _germanCards = IdentitySnapshot.Empty;

    private string[] _usIds = [];
    private string[] _germanCardIds = [];
    private int _next;

    /// <summary>How many different keys the operations cycle through.</summary>
    [Params(1_024, IdentityFixture.Keys)]
    public int KeysCycled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var loaded = ConfigurationLoader.Parse(Yaml, "/bench.yaml", _ => null);
        _configuration = loaded.Configuration
            ?? throw new InvalidOperationException("The benchmark configuration is invalid: " + string.Join("; ", loaded.Errors));
        _model = _configuration.Models.TryResolve("restricted-model", out var model) ? model : throw new InvalidOperationException("No restricted-model.");
        _embargo = _configuration.Geo.Embargo;
        _rules = _model.IdentityRules;
        _now = IdentityFixture.Created.AddDays(1);
        if (_rules != IdentityRuleSet.Restricted || !_model.IsRestricted)
        {
            throw new InvalidOperationException("The model should be restricted, under the built-in restricted rules.");
        }

        var us = IdentityFixture.Create("US", "US", "US", seed: 1);
        var germanCards = IdentityFixture.Create("US", "DE", "US", seed: 2);
        _us = IdentitySnapshot.Build(us);
        _germanCards = IdentitySnapshot.Build(germanCards);
        _usIds = IdentityFixture.ShuffledKeyIds(us, KeysCycled, seed: 3);
        _germanCardIds = IdentityFixture.ShuffledKeyIds(germanCards, KeysCycled, seed: 4);

        // Every key the operations will use must be found and judged as the benchmark claims.
        foreach (var id in _usIds)
        {
            if (!_us.TryGetPrincipalByKeyId(id, out var principal) ||
                IdentityRules.Check(_rules, principal.Facts, _model, UsResidential, _embargo, licensed: null).ReasonCode is { } found)
            {
                throw new InvalidOperationException($"Key {id} should be found and allowed.");
            }
        }
        foreach (var id in _germanCardIds)
        {
            if (!_germanCards.TryGetPrincipalByKeyId(id, out var principal) ||
                IdentityRules.Check(_rules, principal.Facts, _model, UsResidential, _embargo, licensed: null) is not { ReasonCode: ReasonCodes.CardCountry, Field: KycCountries.Card, Jurisdiction: null })
            {
                throw new InvalidOperationException($"Key {id} should be found and refused for its card country.");
            }
        }
        var allowed = Stages_Allowed();
        var denied = Stages_Denied();
        if (allowed.Trace is not [{ Rule: "identity.key", Outcome: "valid" }, { Rule: "identity.account", Outcome: "active" }, { Rule: "identity.kyc", Outcome: "allow" }] ||
            denied.Trace is not [{ Rule: "identity.key", Outcome: "valid" }, { Rule: "identity.account", Outcome: "active" }, { Rule: "identity.kyc", Outcome: "deny" }] ||
            !denied.Trace[2].Detail.Contains("card country DE", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The stages do not record what they should: " +
                string.Join(" | ", allowed.Trace.Concat(denied.Trace).Select(t => $"{t.Rule} {t.Outcome} {t.Detail}")));
        }
        _next = 0;
    }

    [Benchmark(Baseline = true)]
    public Principal? Lookup() => _us.TryGetPrincipalByKeyId(Next(_usIds), out var principal) ? principal : null;

    /// <summary>
    /// The lookup and a first read of the principal, which a cold key pays for once: on the data
    /// plane, authentication has just read the same principal (its key's hash) before the
    /// identity stage runs, so the difference to <see cref="IdentityCheck_Allowed"/> is the
    /// check's own cost there.
    /// </summary>
    [Benchmark]
    public AccountStatus LookupAndRead() =>
        _us.TryGetPrincipalByKeyId(Next(_usIds), out var principal) ? principal.Facts.Status : AccountStatus.Closed;

    /// <summary>The identity stage's decision: the target is ≤ 200 ns and nothing allocated.</summary>
    [Benchmark]
    public string? IdentityCheck_Allowed() =>
        _us.TryGetPrincipalByKeyId(Next(_usIds), out var principal)
            ? IdentityRules.Check(_rules, principal.Facts, _model, UsResidential, _embargo, licensed: null).ReasonCode
            : "not found";

    /// <summary>Refused on the second of three countries: billing US passes, card DE does not.</summary>
    [Benchmark]
    public string? IdentityCheck_Denied() =>
        _germanCards.TryGetPrincipalByKeyId(Next(_germanCardIds), out var principal)
            ? IdentityRules.Check(_rules, principal.Facts, _model, UsResidential, _embargo, licensed: null).ReasonCode
            : "not found";

    /// <summary>What the stages below get before they start: the request and the pipeline's context.</summary>
    [Benchmark]
    public DecisionContext ContextOnly() => Context(_us, _usIds);

    /// <summary>Both Layer 2 stages as the pipeline runs them, writing three trace entries.</summary>
    [Benchmark]
    public DecisionContext Stages_Allowed()
    {
        var context = Context(_us, _usIds);
        if (!_accountStage.Evaluate(context).IsDenial)
        {
            _identityStage.Evaluate(context);
        }
        return context;
    }

    /// <summary>The same, refused by the identity stage, which then explains the refusal.</summary>
    [Benchmark]
    public DecisionContext Stages_Denied()
    {
        var context = Context(_germanCards, _germanCardIds);
        if (!_accountStage.Evaluate(context).IsDenial)
        {
            _identityStage.Evaluate(context);
        }
        return context;
    }

    private DecisionContext Context(IdentitySnapshot snapshot, string[] ids)
    {
        snapshot.TryGetPrincipalByKeyId(Next(ids), out var principal);
        return new DecisionContext(new DecisionRequest(UsCaller, principal, "restricted-model", ApiDialect.Anthropic), _configuration, _now)
        {
            Model = _model,
            Location = UsResidential,
        };
    }

    private string Next(string[] ids)
    {
        var i = _next;
        _next = i + 1 == ids.Length ? 0 : i + 1;
        return ids[i];
    }
}
