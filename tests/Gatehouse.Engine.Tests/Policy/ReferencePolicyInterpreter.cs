using System.Globalization;
using System.Net;
using System.Text.Json;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>
/// A deliberately plain reading of the policy language, written straight from the rules as IAM
/// documents them and sharing no code with the engine: it walks each document's JSON for every
/// request, parses numbers, dates and networks as it meets them, and matches wildcards by
/// recursion. The property tests check the compiled <see cref="PolicySet"/> against it; the
/// benchmark uses it as the baseline (this file is linked into the benchmark project). It
/// assumes documents that <see cref="PolicyDocument.Parse"/> accepted.
/// </summary>
public sealed class ReferencePolicyInterpreter(IEnumerable<(string Name, string Json)> documents)
{
    private readonly List<(string Name, JsonElement Root)> _documents =
        [.. documents.Select(d => (d.Name, JsonDocument.Parse(d.Json).RootElement))];

    /// <summary>The outcome, and the deciding statement's document and index (null and -1 for an implicit deny).</summary>
    public (PolicyOutcome Outcome, string? Document, int Index) Evaluate(PolicyRequest request)
    {
        (string, int)? firstAllow = null;
        foreach (var (name, root) in _documents)
        {
            var statements = root.GetProperty("Statement");
            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
            for (var i = 0; i < list.Count; i++)
            {
                if (!StatementMatches(list[i], request))
                {
                    continue;
                }
                if (list[i].GetProperty("Effect").GetString() == "Deny")
                {
                    return (PolicyOutcome.ExplicitDeny, name, i);
                }
                firstAllow ??= (name, i);
            }
        }
        return firstAllow is var (document, index) ? (PolicyOutcome.Allow, document, index) : (PolicyOutcome.ImplicitDeny, null, -1);
    }

    private static bool StatementMatches(JsonElement statement, PolicyRequest request)
    {
        var actionMatches = statement.TryGetProperty("Action", out var actions)
            ? Strings(actions).Any(p => Wildcard(p, request.Action, ignoreCase: true))
            : !Strings(statement.GetProperty("NotAction")).Any(p => Wildcard(p, request.Action, ignoreCase: true));
        var resourceMatches = statement.TryGetProperty("Resource", out var resources)
            ? Strings(resources).Any(p => Wildcard(p, request.Resource, ignoreCase: false))
            : !Strings(statement.GetProperty("NotResource")).Any(p => Wildcard(p, request.Resource, ignoreCase: false));
        if (!actionMatches || !resourceMatches)
        {
            return false;
        }
        if (!statement.TryGetProperty("Condition", out var condition))
        {
            return true;
        }
        foreach (var op in condition.EnumerateObject())
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                if (!ConditionHolds(op.Name, key.Name, Strings(key.Value), request))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<string> Strings(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? [.. value.EnumerateArray().Select(Text)]
        : [Text(value)];

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static bool ConditionHolds(string op, string key, List<string> policyValues, PolicyRequest request)
    {
        var qualifier = "";
        if (op.StartsWith("ForAnyValue:", StringComparison.Ordinal) || op.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = op[..op.IndexOf(':', StringComparison.Ordinal)];
            op = op[(qualifier.Length + 1)..];
        }
        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        if (ifExists)
        {
            op = op[..^"IfExists".Length];
        }

        var values = RequestValues(key, request);
        if (op == "Null")
        {
            return policyValues.Any(v => bool.Parse(v) == (values.Count == 0));
        }
        var negated = op is "StringNotEquals" or "StringNotEqualsIgnoreCase" or "StringNotLike" or "NumericNotEquals" or "DateNotEquals" or "NotIpAddress";
        if (values.Count == 0)
        {
            return ifExists || qualifier switch
            {
                "ForAllValues" => true,
                "ForAnyValue" => false,
                _ => negated,
            };
        }

        bool MatchesOne(object value) => policyValues.Any(p => Compare(op, value, p));
        return qualifier switch
        {
            "ForAllValues" => values.All(v => MatchesOne(v) != negated),
            "ForAnyValue" => values.Any(v => MatchesOne(v) != negated),
            _ => negated ? !values.Any(MatchesOne) : values.Any(MatchesOne),
        };
    }

    /// <summary>The positive form of the operator: does this request value match this policy value?</summary>
    private static bool Compare(string op, object value, string policyValue) => op switch
    {
        "StringEquals" or "StringNotEquals" => (string)value == policyValue,
        "StringEqualsIgnoreCase" or "StringNotEqualsIgnoreCase" => string.Equals((string)value, policyValue, StringComparison.OrdinalIgnoreCase),
        "StringLike" or "StringNotLike" => Wildcard(policyValue, (string)value, ignoreCase: false),
        "NumericEquals" or "NumericNotEquals" => (decimal)value == Number(policyValue),
        "NumericLessThan" => (decimal)value < Number(policyValue),
        "NumericLessThanEquals" => (decimal)value <= Number(policyValue),
        "NumericGreaterThan" => (decimal)value > Number(policyValue),
        "NumericGreaterThanEquals" => (decimal)value >= Number(policyValue),
        "DateEquals" or "DateNotEquals" => (DateTimeOffset)value == Date(policyValue),
        "DateLessThan" => (DateTimeOffset)value < Date(policyValue),
        "DateLessThanEquals" => (DateTimeOffset)value <= Date(policyValue),
        "DateGreaterThan" => (DateTimeOffset)value > Date(policyValue),
        "DateGreaterThanEquals" => (DateTimeOffset)value >= Date(policyValue),
        "Bool" => (bool)value == bool.Parse(policyValue),
        "IpAddress" or "NotIpAddress" => Network(policyValue).Contains((IPAddress)value),
        _ => throw new ArgumentException($"unknown operator {op}"),
    };

    private static decimal Number(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset Date(string text) => long.TryParse(text, out var seconds)
        ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static IPNetwork Network(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.Parse(text);
        }
        var address = IPAddress.Parse(text);
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>The request's values for a key, by its name in any case; empty when absent.</summary>
    private static List<object> RequestValues(string key, PolicyRequest request)
    {
        object? single = key.ToLowerInvariant() switch
        {
            "gate:callercountry" => request.CallerCountry,
            "gate:callernetworktype" => request.CallerNetworkType,
            "gate:callerip" => request.CallerIp,
            "gate:callerasn" => request.CallerAsn is { } asn ? (decimal)asn : null,
            "gate:billingcountry" => request.BillingCountry,
            "gate:cardcountry" => request.CardCountry,
            "gate:registeredcountry" => request.RegisteredCountry,
            "gate:identityverified" => request.IdentityVerified,
            "gate:organization" => request.Organization,
            "gate:requestedregion" => request.RequestedRegion,
            "gate:endpointregion" => request.EndpointRegion,
            "gate:modelclassification" => request.ModelClassification,
            "gate:model" => request.Model,
            "gate:currenttime" => request.CurrentTime,
            "gate:licensedcountries" => null,
            _ => throw new ArgumentException($"unknown key {key}"),
        };
        if (key.Equals("gate:LicensedCountries", StringComparison.OrdinalIgnoreCase))
        {
            return [.. request.LicensedCountries ?? []];
        }
        return single is null ? [] : [single];
    }

    /// <summary><c>*</c> any run, <c>?</c> one character; by recursion, the way one would write it first.</summary>
    private static bool Wildcard(string pattern, string text, bool ignoreCase)
    {
        if (pattern.Length == 0)
        {
            return text.Length == 0;
        }
        if (pattern[0] == '*')
        {
            return Wildcard(pattern[1..], text, ignoreCase) || (text.Length > 0 && Wildcard(pattern, text[1..], ignoreCase));
        }
        if (text.Length == 0)
        {
            return false;
        }
        var same = pattern[0] == '?' || (ignoreCase
            ? char.ToUpperInvariant(pattern[0]) == char.ToUpperInvariant(text[0])
            : pattern[0] == text[0]);
        return same && Wildcard(pattern[1..], text[1..], ignoreCase);
    }
}
