using System.Net;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Policy;
using Gatehouse.Engine.Tests.Policy;

namespace Gatehouse.Benchmarks.Policy;

/// <summary>
/// One request against a realistic set of 50 statements in three documents: the gateway's
/// export-control rules, an EU organisation's residency rules, and per-organisation licence
/// grants. The baseline is <see cref="ReferencePolicyInterpreter"/>, which reads the same
/// documents' JSON for every request; setup checks that both decide alike.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    /// <summary>The gateway's rules: 16 statements, every Deny first, as operators tend to write them.</summary>
    private const string Gateway = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Embargo", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:CallerCountry": ["CU", "IR", "KP", "SY", "RU", "BY"]}}},
          {"Sid": "EmbargoBilling", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:BillingCountry": ["CU", "IR", "KP", "SY", "RU", "BY"]}}},
          {"Sid": "EmbargoCard", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:CardCountry": ["CU", "IR", "KP", "SY", "RU", "BY"]}}},
          {"Sid": "NoTor", "Effect": "Deny", "Action": "model:*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:CallerNetworkType": ["tor", "vpn"]}}},
          {"Sid": "RestrictedUsCallersOnly", "Effect": "Deny", "Action": "model:Invoke", "Resource": ["model/mythos-*", "model/fable-*"],
           "Condition": {"StringNotEquals": {"gate:CallerCountry": ["US", "PR", "GU", "VI", "AS", "MP", "UM"]}, "ForAllValues:StringNotEquals": {"gate:LicensedCountries": ["GB", "DE", "FR", "JP"]}}},
          {"Sid": "RestrictedUsBilling", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/mythos-*",
           "Condition": {"StringNotEquals": {"gate:BillingCountry": "US"}, "Null": {"gate:LicensedCountries": "true"}}},
          {"Sid": "RestrictedVerifiedOnly", "Effect": "Deny", "Action": "model:Invoke", "Resource": "*",
           "Condition": {"StringEquals": {"gate:ModelClassification": "restricted"}, "Bool": {"gate:IdentityVerified": "false"}}},
          {"Sid": "RestrictedEndpointsInUs", "Effect": "Deny", "Action": "endpoint:Create", "Resource": "endpoint/*/mythos-*",
           "Condition": {"StringNotLike": {"gate:EndpointRegion": "us-*"}}},
          {"Sid": "RestrictedRegionsInUs", "Effect": "Deny", "Action": "model:Invoke", "Resource": "*",
           "Condition": {"StringEquals": {"gate:ModelClassification": "restricted"}, "StringNotLikeIfExists": {"gate:EndpointRegion": "us-*"}}},
          {"Sid": "Maintenance", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"DateGreaterThanEquals": {"gate:CurrentTime": "2026-12-24T22:00:00Z"}, "DateLessThan": {"gate:CurrentTime": "2026-12-25T02:00:00Z"}}},
          {"Sid": "BlockedNetworks", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"IpAddress": {"gate:CallerIp": ["192.0.2.0/24", "198.18.0.0/15", "2001:db8:dead::/48"]}}},
          {"Sid": "BlockedAsns", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"NumericEquals": {"gate:CallerAsn": [64496, 64497, 64498, 64499]}}},
          {"Sid": "ProxiesNeedOrg", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:CallerNetworkType": "hosting"}, "Null": {"gate:Organization": "true"}}},
          {"Sid": "OpenModels", "Effect": "Allow", "Action": "model:Invoke", "Resource": ["model/llama-*", "model/mistral-*", "model/qwen-*"]},
          {"Sid": "OpenEndpoints", "Effect": "Allow", "Action": "endpoint:Create", "Resource": ["endpoint/*/llama-*", "endpoint/*/mistral-*"]},
          {"Sid": "RestrictedFromUs", "Effect": "Allow", "Action": "model:Invoke", "Resource": ["model/mythos-*", "model/fable-*"],
           "Condition": {"StringEquals": {"gate:CallerCountry": "US", "gate:BillingCountry": "US", "gate:RegisteredCountry": "US"}}}
        ]}
        """;

    /// <summary>An EU organisation's residency rules: 14 statements.</summary>
    private const string EuResidency = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "KeepInEu", "Effect": "Deny", "Action": "*", "Resource": "endpoint/*",
           "Condition": {"StringEquals": {"gate:Organization": ["org-berlin", "org-paris", "org-milan"]}, "StringNotLike": {"gate:EndpointRegion": ["eu-*", "de-*"]}}},
          {"Sid": "EuCallersOnly", "Effect": "Deny", "Action": "model:Invoke", "Resource": "*",
           "Condition": {"StringEquals": {"gate:Organization": ["org-berlin", "org-paris"]}, "StringNotEquals": {"gate:CallerCountry": ["DE", "FR", "IT", "ES", "NL", "BE", "AT", "PL", "SE", "DK", "FI", "IE", "PT"]}}},
          {"Sid": "RequestedRegionEu", "Effect": "Deny", "Action": "model:Invoke", "Resource": "*",
           "Condition": {"StringEquals": {"gate:Organization": "org-berlin"}, "StringNotLikeIfExists": {"gate:RequestedRegion": "eu-*"}}},
          {"Sid": "OfficeHours", "Effect": "Deny", "Action": "endpoint:Create", "Resource": "*",
           "Condition": {"StringEquals": {"gate:Organization": "org-milan"}, "DateLessThan": {"gate:CurrentTime": "2026-01-01T00:00:00Z"}}},
          {"Sid": "OfficeNetworks", "Effect": "Deny", "Action": "endpoint:*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:Organization": "org-paris"}, "NotIpAddress": {"gate:CallerIp": ["10.0.0.0/8", "172.16.0.0/12", "2001:db8:1::/48"]}}},
          {"Sid": "NoConfidentialOffshore", "Effect": "Deny", "Action": "model:Invoke", "Resource": "*",
           "Condition": {"StringEqualsIgnoreCase": {"gate:ModelClassification": ["confidential", "secret"]}, "StringNotLike": {"gate:EndpointRegion": "eu-*"}}},
          {"Sid": "EuOpen", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*",
           "Condition": {"StringEquals": {"gate:Organization": ["org-berlin", "org-paris", "org-milan"]}, "StringLike": {"gate:EndpointRegion": "eu-*"}}},
          {"Sid": "EuEndpoints", "Effect": "Allow", "Action": "endpoint:Create", "Resource": ["endpoint/eu-*/*", "endpoint/de-*/*"],
           "Condition": {"StringEquals": {"gate:Organization": ["org-berlin", "org-paris", "org-milan"]}}},
          {"Sid": "BerlinInternal", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/berlin-*",
           "Condition": {"StringEquals": {"gate:Organization": "org-berlin"}, "IpAddress": {"gate:CallerIp": ["10.20.0.0/16", "2001:db8:20::/48"]}}},
          {"Sid": "ParisInternal", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/paris-*",
           "Condition": {"StringEquals": {"gate:Organization": "org-paris", "gate:CallerCountry": "FR"}}},
          {"Sid": "MilanPilot", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/qwen-*",
           "Condition": {"StringEquals": {"gate:Organization": "org-milan"}, "DateLessThan": {"gate:CurrentTime": "2027-06-30T00:00:00Z"}}},
          {"Sid": "AuditorsReadOnly", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/audit-*",
           "Condition": {"StringLike": {"gate:Organization": "auditor-*"}}},
          {"Sid": "EuAsns", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/mistral-*",
           "Condition": {"NumericGreaterThan": {"gate:CallerAsn": 1}, "StringLike": {"gate:CallerCountry": ["D?", "F?"]}}},
          {"Sid": "EuLicensed", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/fable-*",
           "Condition": {"ForAnyValue:StringEquals": {"gate:LicensedCountries": ["DE", "FR"]}, "StringEquals": {"gate:CallerCountry": ["DE", "FR"]}}}
        ]}
        """;

    private PolicySet _set = PolicySet.Empty;
    private ReferencePolicyInterpreter _interpreter = null!;
    private readonly PolicyRequest _request = new();

    /// <summary>
    /// Allow: a British caller of a restricted model whose organisation holds a licence: past
    /// every Deny, allowed by the 49th statement (a licence grant). ExplicitDeny: a German caller
    /// of the restricted model without a licence, denied by the fifth statement. ImplicitDeny: an
    /// endpoint for a model no statement allows, after every statement for that action.
    /// </summary>
    [Params("Allow", "ExplicitDeny", "ImplicitDeny")]
    public string Shape { get; set; } = "Allow";

    [GlobalSetup]
    public void Setup()
    {
        // Licence grants: 20 statements, one per organisation, each for named models from named countries.
        var licenses = "{\"Version\": \"2012-10-17\", \"Statement\": [\n" + string.Join(",\n", Enumerable.Range(0, 20).Select(i =>
            $$$$"""
              {"Sid": "License{{{{i}}}}", "Effect": "Allow", "Action": "model:Invoke", "Resource": ["model/mythos-{{{{i % 3 + 4}}}}", "model/fable-{{{{i % 2 + 4}}}}"],
               "Condition": {"StringEquals": {"gate:Organization": "org-{{{{i}}}}"}, "ForAnyValue:StringEquals": {"gate:LicensedCountries": ["{{{{(i % 2 == 0 ? "US" : "GB")}}}}", "CA"]},
                             "DateLessThan": {"gate:CurrentTime": "2027-0{{{{i % 9 + 1}}}}-01T00:00:00Z"}}}
            """)) + "\n]}";
        (string Name, string Json)[] documents = [("policies/gateway.json", Gateway), ("policies/eu.json", EuResidency), ("policies/licenses.json", licenses)];
        _set = PolicySet.Compile(documents.Select(d => PolicyDocument.Parse(d.Json, d.Name)));
        _interpreter = new ReferencePolicyInterpreter(documents);
        if (_set.StatementCount != 50)
        {
            throw new InvalidOperationException($"The set has {_set.StatementCount} statements, not 50.");
        }

        _request.Clear();
        _request.CurrentTime = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        _request.CallerNetworkType = "residential";
        _request.CallerAsn = 7018;
        _request.IdentityVerified = true;
        _request.ModelClassification = "restricted";
        _request.EndpointRegion = "us-east-1";
        switch (Shape)
        {
            case "Allow":
                Fill("model:Invoke", "model/mythos-4", "GB", "org-18", "203.0.113.10");
                _request.LicensedCountries = ["GB", "CA"];
                break;
            case "ExplicitDeny":
                Fill("model:Invoke", "model/mythos-5", "DE", "org-3", "2001:db8:7::1");
                break;
            default:
                Fill("endpoint:Create", "endpoint/us-east-1/mythos-5", "US", "org-4", "203.0.113.10");
                _request.ModelClassification = "open";
                break;
        }

        var compiled = _set.Evaluate(_request);
        var interpreted = _interpreter.Evaluate(_request);
        if ((compiled.Outcome, compiled.Statement?.Document, compiled.Statement?.Index ?? -1) != interpreted || compiled.Outcome.ToString() != Shape)
        {
            throw new InvalidOperationException($"{Shape}: compiled {compiled}, interpreted {interpreted}.");
        }
        Console.WriteLine($"// Policy: {_set}; {Shape}: {_set.Explain(_request)}");
    }

    private void Fill(string action, string resource, string country, string organization, string ip)
    {
        _request.Action = action;
        _request.Resource = resource;
        _request.CallerCountry = country;
        _request.BillingCountry = country;
        _request.CardCountry = country;
        _request.RegisteredCountry = country;
        _request.Organization = organization;
        _request.CallerIp = IPAddress.Parse(ip);
    }

    [Benchmark(Baseline = true)]
    public PolicyOutcome Interpreter() => _interpreter.Evaluate(_request).Outcome;

    [Benchmark]
    public PolicyEvaluation Compiled() => _set.Evaluate(_request);
}
