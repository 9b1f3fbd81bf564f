using System.Net;
using System.Text;
using CsCheck;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>
/// Random policy sets against random requests. The values come from small pools, so that
/// statements and requests meet often: every operator, qualifier and suffix, absent keys and empty
/// sets, case variants, wildcards, Not forms. Checked: the compiled set decides exactly as the
/// <see cref="ReferencePolicyInterpreter"/> reads the documents, and as its own explanation does;
/// adding a Deny statement, or removing an Allow statement, never turns a denied request into an
/// allowed one.
/// </summary>
public sealed class PolicyPropertyTests
{
    private const int Iterations = 2000;

    // --- The generated model: rendered to JSON for both evaluators ---

    private sealed record Condition(string Operator, string Key, string[] Values);

    private sealed record Statement(bool Deny, bool NotAction, string[] Actions, bool NotResource, string[] Resources, Condition[] Conditions);

    private sealed record Document(Statement[] Statements);

    private sealed record Request(
        string Action, string Resource, string? CallerCountry, string? NetworkType, string? Region, string? Organization,
        string[]? Licensed, string? Ip, uint Asn, int? Minutes, bool? Verified);

    private static readonly string[] ActionPatterns = ["model:Invoke", "endpoint:Create", "model:*", "*", "endpoint:*", "model:Inv?ke", "*:Create", "model:Describe"];
    private static readonly string[] Actions = ["model:Invoke", "endpoint:Create", "model:Describe", "MODEL:invoke", "other:Thing"];
    private static readonly string[] ResourcePatterns = ["*", "model/*", "model/mythos-*", "endpoint/eu-*/*", "endpoint/us-east-1/llama-3", "model/llama-3", "endpoint/*/mythos-?", "*/mythos-5"];
    private static readonly string[] Resources = ["model/mythos-5", "model/llama-3", "endpoint/eu-west-1/mythos-5", "endpoint/us-east-1/llama-3", "model/Mythos-5", "endpoint/eu-west-1/mythos-55"];

    private static readonly string[] Countries = ["US", "DE", "FR", "GB"];
    private static readonly string[] CountryVariants = ["US", "DE", "FR", "GB", "de", "Us"];
    private static readonly string[] CountryPatterns = ["U?", "D*", "*", "G?"];
    private static readonly string[] NetworkTypes = ["residential", "vpn", "hosting"];
    private static readonly string[] Regions = ["eu-west-1", "us-east-1", "eu-central-1", "EU-west-1"];
    private static readonly string[] RegionPatterns = ["eu-*", "us-*", "*-1", "eu-west-?"];
    private static readonly string[] Organizations = ["org-a", "org-b", "ORG-A"];
    private static readonly string[] Numbers = ["100", "200", "250.0", "3e2"];
    private static readonly uint[] Asns = [0, 100, 200, 250, 300];
    private static readonly string[] Dates = ["2026-11-24T00:00:00Z", "2026-11-24T01:00:00+01:00", "1795478400", "2026-11-24T02:00:00Z", "2026-11-23"];
    private static readonly int[] Minutes = [-60, 0, 60, 120, 150];
    private static readonly string[] Networks = ["10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32", "203.0.113.7", "0.0.0.0/0"];
    private static readonly string[] Addresses = ["10.1.2.3", "192.0.2.55", "2001:db8::1", "198.51.100.1", "203.0.113.7", "::ffff:10.0.0.1"];
    private static readonly string[] Booleans = ["true", "false"];

    private static readonly string[] StringOperators = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"];
    private static readonly string[] NumericOperators = ["NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"];
    private static readonly string[] DateOperators = ["DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"];

    private static Gen<string[]> Some(string[] pool) => Gen.OneOf(pool).Array[1, 3];

    /// <summary>An operator with an optional IfExists suffix (and, for the multi-valued key, an optional qualifier).</summary>
    private static Gen<string> Operator(string[] bases, bool multiValued) =>
        Gen.Select(Gen.OneOf(bases), Gen.Int[0, 3], Gen.Int[0, 2], (op, suffix, qualifier) =>
            (multiValued ? qualifier switch { 1 => "ForAnyValue:", 2 => "ForAllValues:", _ => "" } : "") + op + (suffix == 0 ? "IfExists" : ""));

    /// <summary>String values that parse under the operator: country codes in upper case unless the operator ignores case or takes patterns.</summary>
    private static Gen<Condition> StringCondition(string key, string[] exact, string[] anyCase, string[] patterns, bool multiValued = false) =>
        Operator(StringOperators, multiValued).SelectMany(op => Some(
                op.Contains("Like", StringComparison.Ordinal) ? [.. patterns, .. exact]
                : op.Contains("IgnoreCase", StringComparison.Ordinal) ? anyCase
                : exact)
            .Select(values => new Condition(op, key, values)));

    private static readonly Gen<Condition> Conditions = Gen.OneOf(
        StringCondition("gate:CallerCountry", Countries, CountryVariants, CountryPatterns),
        StringCondition("gate:CallerNetworkType", NetworkTypes, ["VPN", "Residential", "hosting"], ["*", "v?n"]),
        StringCondition("gate:EndpointRegion", Regions, Regions, RegionPatterns),
        StringCondition("gate:Organization", Organizations, Organizations, ["org-*", "ORG-?"]),
        StringCondition("gate:LicensedCountries", Countries, CountryVariants, CountryPatterns, multiValued: true),
        Gen.Select(Operator(NumericOperators, false), Some(Numbers), (op, values) => new Condition(op, "gate:CallerAsn", values)),
        Gen.Select(Operator(DateOperators, false), Some(Dates), (op, values) => new Condition(op, "gate:CurrentTime", values)),
        Gen.Select(Operator(["Bool"], false), Some(Booleans), (op, values) => new Condition(op, "gate:IdentityVerified", values)),
        Gen.Select(Operator(["IpAddress", "NotIpAddress"], false), Some(Networks), (op, values) => new Condition(op, "gate:CallerIp", values)),
        Gen.Select(Gen.OneOf("gate:CallerCountry", "gate:LicensedCountries", "gate:CallerIp", "gate:CurrentTime", "gate:callerasn"), Some(Booleans),
            (key, values) => new Condition("Null", key, values)));

    private static readonly Gen<Statement> Statements = Gen.Select(
        Gen.Int[0, 2], Gen.Int[0, 4], Some(ActionPatterns), Gen.Int[0, 4], Some(ResourcePatterns), Conditions.Array[0, 3],
        (effect, notAction, actions, notResource, resources, conditions) =>
            new Statement(effect == 0, notAction == 0, actions, notResource == 0, resources, conditions));

    private static readonly Gen<Document[]> Documents = Statements.Array[1, 6].Select(s => new Document(s)).Array[1, 3];

    private static readonly string? NoString = null;
    private static readonly string[]? NoStrings = null;
    private static readonly int? NoInt = null;

    private static Gen<string?> Maybe(string[] pool) => Gen.OneOf(Gen.Const(NoString), Gen.OneOf(pool).Select(v => (string?)v));

    private static readonly Gen<Request> Requests = Gen.Select(
        Gen.OneOf(Actions), Gen.OneOf(Resources), Maybe(CountryVariants), Maybe(NetworkTypes), Maybe(Regions), Maybe(Organizations),
        Gen.OneOf(Gen.Const(NoStrings), Gen.OneOf(Countries).Array[0, 3].Select(a => (string[]?)a)),
        Gen.Select(Maybe(Addresses), Gen.OneOf(Asns), Gen.OneOf(Gen.Const(NoInt), Gen.OneOf(Minutes).Select(m => (int?)m)), Gen.Int[0, 2],
            (ip, asn, minutes, verified) => (ip, asn, minutes, verified: verified switch { 0 => (bool?)null, 1 => true, _ => false })),
        (action, resource, country, network, region, organization, licensed, rest) =>
            new Request(action, resource, country, network, region, organization, licensed, rest.ip, rest.asn, rest.minutes, rest.verified));

    // --- Rendering ---

    private static string Json(Document document, int documentIndex)
    {
        var text = new StringBuilder("{\"Version\": \"2012-10-17\", \"Statement\": [\n");
        for (var i = 0; i < document.Statements.Length; i++)
        {
            var s = document.Statements[i];
            text.Append(i == 0 ? "" : ",\n")
                .Append($"{{\"Sid\": \"D{documentIndex}S{i}\", \"Effect\": \"{(s.Deny ? "Deny" : "Allow")}\", ")
                .Append($"\"{(s.NotAction ? "NotAction" : "Action")}\": {List(s.Actions)}, ")
                .Append($"\"{(s.NotResource ? "NotResource" : "Resource")}\": {List(s.Resources)}");
            // One entry per operator, and one key once under it: a Condition is an object.
            var byOperator = s.Conditions.GroupBy(c => c.Operator)
                .Select(g => $"\"{g.Key}\": {{{string.Join(", ", g.DistinctBy(c => c.Key.ToLowerInvariant()).Select(c => $"\"{c.Key}\": {List(c.Values)}"))}}}")
                .ToList();
            if (byOperator.Count > 0)
            {
                text.Append($", \"Condition\": {{{string.Join(", ", byOperator)}}}");
            }
            text.Append('}');
        }
        return text.Append("\n]}").ToString();
    }

    private static string List(string[] values) => "[" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "]";

    private static readonly DateTimeOffset Midnight = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static PolicyRequest Fill(PolicyRequest target, Request r)
    {
        target.Clear();
        target.Action = r.Action;
        target.Resource = r.Resource;
        target.CallerCountry = r.CallerCountry;
        target.CallerNetworkType = r.NetworkType;
        target.EndpointRegion = r.Region;
        target.Organization = r.Organization;
        target.LicensedCountries = r.Licensed;
        target.CallerIp = r.Ip is null ? null : IPAddress.Parse(r.Ip);
        target.CallerAsn = r.Asn;
        target.CurrentTime = r.Minutes is { } minutes ? Midnight.AddMinutes(minutes) : null;
        target.IdentityVerified = r.Verified;
        return target;
    }

    private static (string Name, string Json)[] Render(Document[] documents) =>
        [.. documents.Select((d, i) => ($"doc{i}.json", Json(d, i)))];

    private static PolicySet Compile((string Name, string Json)[] documents) =>
        PolicySet.Compile(documents.Select(d => PolicyDocument.Parse(d.Json, d.Name)));

    // --- Properties ---

    [Fact]
    public void CompiledSet_DecidesAsTheReferenceInterpreterAndItsOwnExplanation()
    {
        var outcomes = new int[3];
        Gen.Select(Documents, Requests.Array[1, 8]).Sample((documents, requests) =>
        {
            var rendered = Render(documents);
            var compiled = Compile(rendered);
            var reference = new ReferencePolicyInterpreter(rendered);
            var request = new PolicyRequest();
            foreach (var r in requests)
            {
                Fill(request, r);
                var evaluation = compiled.Evaluate(request);
                var expected = reference.Evaluate(request);
                Assert.Equal(expected, (evaluation.Outcome, evaluation.Statement?.Document, evaluation.Statement?.Index ?? -1));
                Assert.Equal(evaluation, compiled.Explain(request).Evaluation);
                Interlocked.Increment(ref outcomes[(int)evaluation.Outcome]);
            }
        }, iter: Iterations);

        // The pools are small enough that every outcome is common, so the agreement means something.
        var total = outcomes.Sum();
        Assert.All(outcomes, count => Assert.True(count > total / 10, $"outcomes (implicit deny, allow, explicit deny): {string.Join(", ", outcomes)}"));
    }

    [Fact]
    public void AddingADenyStatement_NeverTurnsADeniedRequestIntoAnAllowedOne()
    {
        Gen.Select(Documents, Statements, Gen.Int[0, 100], Requests.Array[1, 8]).Sample((documents, deny, position, requests) =>
        {
            var target = position % documents.Length;
            var withDeny = documents.Select((d, i) => i != target ? d : new Document(
                [.. d.Statements.Take(position % (d.Statements.Length + 1)), deny with { Deny = true }, .. d.Statements.Skip(position % (d.Statements.Length + 1))]))
                .ToArray();
            AssertNeverAllowsMore(Compile(Render(documents)), Compile(Render(withDeny)), requests);
        }, iter: Iterations);
    }

    [Fact]
    public void RemovingAnAllowStatement_NeverTurnsADeniedRequestIntoAnAllowedOne()
    {
        Gen.Select(Documents, Gen.Int[0, 100], Requests.Array[1, 8]).Sample((documents, choice, requests) =>
        {
            var allows = documents.SelectMany((d, i) => d.Statements.Select((s, j) => (i, j, s))).Where(x => !x.s.Deny).ToList();
            if (allows.Count == 0)
            {
                return;
            }
            var (document, statement, _) = allows[choice % allows.Count];
            var without = documents.Select((d, i) => i != document ? d : new Document([.. d.Statements.Where((_, j) => j != statement)]))
                .Where(d => d.Statements.Length > 0)
                .ToArray();
            AssertNeverAllowsMore(Compile(Render(documents)), Compile(Render(without)), requests);
        }, iter: Iterations);
    }

    private static void AssertNeverAllowsMore(PolicySet before, PolicySet after, Request[] requests)
    {
        var request = new PolicyRequest();
        foreach (var r in requests)
        {
            Fill(request, r);
            if (!before.Evaluate(request).IsAllowed)
            {
                Assert.False(after.Evaluate(request).IsAllowed, $"{r} was denied, then allowed by {after.Evaluate(request).Statement}");
            }
        }
    }
}
