using System.Net;
using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>Evaluation: the decision rule, actions and resources, then each operator and qualifier with its edge cases.</summary>
public sealed class PolicySetTests
{
    private const string AllowAll = """{"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}""";

    private static PolicySet CreateSut(params string[] statements) =>
        PolicySet.Compile([Document("test.json", statements)]);

    private static PolicyDocument Document(string name, params string[] statements) =>
        PolicyDocument.Parse($$$"""{"Version": "2012-10-17", "Statement": [{{{string.Join(",\n", statements)}}}]}""", name);

    private static PolicyRequest Request(Action<PolicyRequest>? fill = null)
    {
        var request = new PolicyRequest { Action = PolicyActions.ModelInvoke, Resource = "model/mythos-5" };
        fill?.Invoke(request);
        return request;
    }

    /// <summary>Whether a condition holds: an Allow statement with only that condition allows the request.</summary>
    private static bool Holds(string condition, Action<PolicyRequest>? fill = null) =>
        CreateSut($$$"""{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {{{condition}}}}""")
            .Evaluate(Request(fill)).IsAllowed;

    // --- The decision rule ---

    [Fact]
    public void Evaluate_EmptySet_DeniesImplicitly()
    {
        Assert.False(PolicySet.Empty.HasStatements);
        Assert.Same(PolicySet.Empty, PolicySet.Compile([]));
        Assert.Equal(new PolicyEvaluation(PolicyOutcome.ImplicitDeny, null), PolicySet.Empty.Evaluate(Request()));
    }

    [Fact]
    public void Evaluate_NoStatementMatches_DeniesImplicitly()
    {
        var sut = CreateSut("""{"Effect": "Allow", "Action": "endpoint:Create", "Resource": "*"}""");

        var result = sut.Evaluate(Request());

        Assert.True(sut.HasStatements);
        Assert.Equal(PolicyOutcome.ImplicitDeny, result.Outcome);
        Assert.Null(result.Statement);
        Assert.False(result.IsAllowed);
    }

    [Fact]
    public void Evaluate_MatchingAllow_AllowsAndNamesTheStatement()
    {
        var sut = CreateSut(
            """{"Sid": "Other", "Effect": "Allow", "Action": "endpoint:Create", "Resource": "*"}""",
            """{"Sid": "Invoke", "Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*"}""");

        var result = sut.Evaluate(Request());

        Assert.Equal(PolicyOutcome.Allow, result.Outcome);
        Assert.Equal(new PolicyStatementReference("test.json", 1, "Invoke", PolicyEffect.Allow, 2), result.Statement);
        Assert.Equal("test.json: Statement[1] (Sid \"Invoke\")", result.Statement!.ToString());
    }

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_ExplicitDenyWins()
    {
        var sut = CreateSut(AllowAll, """{"Sid": "NoMythos", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/mythos-*"}""");

        var result = sut.Evaluate(Request());

        Assert.Equal(PolicyOutcome.ExplicitDeny, result.Outcome);
        Assert.Equal("NoMythos", result.Statement!.Sid);
        Assert.Equal(PolicyEffect.Deny, result.Statement.Effect);
    }

    [Fact]
    public void Evaluate_SeveralDocuments_ReportsTheFirstDenyAndTheFirstAllowInSetOrder()
    {
        var gateway = Document("gateway.json", AllowAll, """{"Sid": "D1", "Effect": "Deny", "Action": "*", "Resource": "model/llama-*"}""");
        var organization = Document("org.json",
            """{"Sid": "A2", "Effect": "Allow", "Action": "*", "Resource": "*"}""",
            """{"Sid": "D2", "Effect": "Deny", "Action": "*", "Resource": "*"}""");
        var sut = PolicySet.Compile([gateway, organization]);

        var denied = sut.Evaluate(Request(r => r.Resource = "model/llama-3"));
        var onlyAllowed = PolicySet.Compile([gateway]).Evaluate(Request());

        Assert.Equal(("gateway.json", 1, "D1"), (denied.Statement!.Document, denied.Statement.Index, denied.Statement.Sid));
        Assert.Equal(("gateway.json", 0, PolicyOutcome.Allow), (onlyAllowed.Statement!.Document, onlyAllowed.Statement.Index, onlyAllowed.Outcome));
        Assert.Equal(2, sut.Documents.Count);
        Assert.Equal(4, sut.StatementCount);
    }

    [Fact]
    public void Explain_ListsEveryMatchingStatementInOrderAndTheOneThatDecided()
    {
        var sut = CreateSut(
            AllowAll,
            """{"Sid": "NotThis", "Effect": "Deny", "Action": "endpoint:*", "Resource": "*"}""",
            """{"Sid": "AlsoAllow", "Effect": "Allow", "Action": "model:*", "Resource": "*"}""",
            """{"Sid": "Deny", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"gate:CallerCountry": "CN"}}}""");

        var denied = sut.Explain(Request(r => r.CallerCountry = "CN"));
        var allowed = sut.Explain(Request(r => r.CallerCountry = "US"));

        Assert.Equal(["AllowAll", "AlsoAllow", "Deny"], denied.Matched.Select(s => s.Sid));
        Assert.Equal("Deny", denied.DecidingStatement!.Sid);
        Assert.Equal(PolicyOutcome.ExplicitDeny, denied.Outcome);
        Assert.Equal(["AllowAll", "AlsoAllow"], allowed.Matched.Select(s => s.Sid));
        Assert.Equal("AllowAll", allowed.DecidingStatement!.Sid);
        Assert.Equal(sut.Evaluate(Request(r => r.CallerCountry = "US")), allowed.Evaluation);
    }

    [Fact]
    public void Compile_TwoDocumentsWithOneName_Throws()
    {
        var document = Document("same.json", AllowAll);

        Assert.Throws<ArgumentException>(() => PolicySet.Compile([document, Document("same.json", AllowAll)]));
    }

    [Fact]
    public void Evaluate_FiftyStatementsWithEveryKindOfCondition_AllocatesNothing()
    {
        var statements = Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            $$$$"""{"Effect": "Deny", "Action": "model:*", "Resource": "model/m{{{{i}}}}-*", "Condition": {"StringNotLike": {"gate:EndpointRegion": ["eu-*", "us-*"]}}}""",
            $$$$"""{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"gate:LicensedCountries": ["CN", "RU"]}, "NotIpAddress": {"gate:CallerIp": ["10.0.0.0/8", "2001:db8::/32"]}}}""",
            $$$$"""{"Effect": "Deny", "Action": "model:Invoke", "Resource": "*", "Condition": {"DateGreaterThan": {"gate:CurrentTime": "2030-01-0{{{{i % 9 + 1}}}}T00:00:00Z"}, "NumericEquals": {"gate:CallerAsn": {{{{i + 1}}}}}}}""",
            $$$$"""{"Effect": "Allow", "Action": ["model:Invoke", "endpoint:Create"], "Resource": "model/m{{{{i}}}}", "Condition": {"StringEqualsIgnoreCase": {"gate:CallerCountry": ["de", "fr"]}, "Bool": {"gate:IdentityVerified": true}}}""",
            $$$$"""{"Effect": "Allow", "NotAction": "endpoint:*", "Resource": "*", "Condition": {"StringEquals": {"gate:CallerCountry": "US"}, "Null": {"gate:Organization": "false"}}}""",
        });
        var sut = CreateSut([.. statements]);
        var request = Request(r =>
        {
            r.CallerCountry = "US";
            r.Organization = "org-1";
            r.EndpointRegion = "eu-west-1";
            r.LicensedCountries = ["US", "GB"];
            r.CallerIp = IPAddress.Parse("10.1.2.3");
            r.CurrentTime = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
            r.CallerAsn = 64500;
            r.IdentityVerified = true;
        });
        var unknownAction = Request(r => r.Action = "model:Describe");
        Assert.True(sut.Evaluate(request).IsAllowed);
        sut.Evaluate(unknownAction);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sut.Evaluate(request);
            sut.Evaluate(unknownAction);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50, sut.StatementCount);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Evaluate_ManyThreadsShareOneSet_EachDecidesAsOneThreadAlone()
    {
        var sut = CreateSut(AllowAll,
            """{"Sid": "NotDE", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"gate:CallerCountry": "DE"}}}""");
        string[] countries = ["US", "DE", "FR", "GB"];
        var expected = countries.Select(c => sut.Evaluate(Request(r => r.CallerCountry = c))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 8, _ =>
        {
            var request = Request();
            for (var i = 0; i < 20_000; i++)
            {
                request.CallerCountry = countries[i % countries.Length];
                if (sut.Evaluate(request) != expected[i % countries.Length])
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
        Assert.Equal(PolicyOutcome.ExplicitDeny, expected[1].Outcome);
    }

    // --- Actions and resources ---

    [Theory]
    [InlineData("model:*", "model:Invoke", true)]
    [InlineData("model:*", "endpoint:Create", false)]
    [InlineData("*", "endpoint:Create", true)]
    [InlineData("model:Inv?ke", "model:Invoke", true)]
    [InlineData("*:Create", "endpoint:Create", true)]
    [InlineData("model:Invoke", "MODEL:invoke", true)]
    [InlineData("MODEL:*", "model:Invoke", true)]
    [InlineData("model:Invoke", "model:Describe", false)]
    [InlineData("model:*", "model:Describe", true)]
    public void Evaluate_ActionPattern_MatchesIgnoringCaseWithWildcards(string pattern, string action, bool allowed)
    {
        var sut = CreateSut($$$"""{"Effect": "Allow", "Action": "{{{pattern}}}", "Resource": "*"}""");

        Assert.Equal(allowed, sut.Evaluate(Request(r => r.Action = action)).IsAllowed);
    }

    [Fact]
    public void Evaluate_ActionList_AnyActionInTheListMatches()
    {
        var sut = CreateSut("""{"Effect": "Allow", "Action": ["endpoint:Create", "model:Invoke"], "Resource": "*"}""");

        Assert.True(sut.Evaluate(Request()).IsAllowed);
        Assert.True(sut.Evaluate(Request(r => r.Action = "endpoint:Create")).IsAllowed);
        Assert.False(sut.Evaluate(Request(r => r.Action = "endpoint:Delete")).IsAllowed);
    }

    [Fact]
    public void Evaluate_NotAction_MatchesEveryOtherAction()
    {
        var sut = CreateSut(AllowAll, """{"Sid": "OnlyInvoke", "Effect": "Deny", "NotAction": "model:Invoke", "Resource": "*"}""");

        Assert.True(sut.Evaluate(Request()).IsAllowed);
        Assert.Equal(PolicyOutcome.ExplicitDeny, sut.Evaluate(Request(r => r.Action = "endpoint:Create")).Outcome);
        Assert.Equal(PolicyOutcome.ExplicitDeny, sut.Evaluate(Request(r => r.Action = "model:Describe")).Outcome);
    }

    [Theory]
    [InlineData("model/mythos-*", "model/mythos-5", true)]
    [InlineData("model/mythos-*", "model/Mythos-5", false)]
    [InlineData("model/mythos-?", "model/mythos-5", true)]
    [InlineData("model/mythos-?", "model/mythos-55", false)]
    [InlineData("endpoint/eu-*/*", "endpoint/eu-west-1/mythos-5", true)]
    [InlineData("endpoint/eu-*/*", "endpoint/us-east-1/mythos-5", false)]
    [InlineData("endpoint/*/mythos-5", "endpoint/eu-west-1/mythos-5", true)]
    [InlineData("endpoint/eu-*", "endpoint/eu-west-1/mythos-5", true)]
    [InlineData("*/mythos-5", "model/mythos-5", true)]
    [InlineData("model/*", "endpoint/eu-west-1/mythos-5", false)]
    [InlineData("*", "endpoint/eu-west-1/mythos-5", true)]
    [InlineData("model/mythos-5", "model/mythos-5", true)]
    public void Evaluate_ResourcePattern_MatchesCaseSensitivelyWithWildcards(string pattern, string resource, bool allowed)
    {
        var sut = CreateSut($$$"""{"Effect": "Allow", "Action": "*", "Resource": "{{{pattern}}}"}""");

        Assert.Equal(allowed, sut.Evaluate(Request(r => r.Resource = resource)).IsAllowed);
    }

    [Fact]
    public void Evaluate_NotResource_MatchesEveryOtherResource()
    {
        var sut = CreateSut("""{"Effect": "Allow", "Action": "*", "NotResource": ["model/mythos-*", "endpoint/*"]}""");

        Assert.True(sut.Evaluate(Request(r => r.Resource = "model/llama-3")).IsAllowed);
        Assert.False(sut.Evaluate(Request(r => r.Resource = "model/mythos-5")).IsAllowed);
        Assert.False(sut.Evaluate(Request(r => r.Resource = PolicyResources.Endpoint("eu-west-1", "llama-3"))).IsAllowed);
    }

    [Fact]
    public void PolicyResources_BuildTheResourceStrings()
    {
        Assert.Equal("model/mythos-5", PolicyResources.Model("mythos-5"));
        Assert.Equal("endpoint/eu-west-1/mythos-5", PolicyResources.Endpoint("eu-west-1", "mythos-5"));
    }

    // --- Condition logic: AND across operators and keys, OR across values ---

    [Theory]
    [InlineData("DE", true)]
    [InlineData("FR", true)]
    [InlineData("US", false)]
    public void Condition_SeveralValuesForOneKey_AnyOfThemMatches(string country, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEquals": {"gate:CallerCountry": ["DE", "FR"]}}""", r => r.CallerCountry = country));

    [Theory]
    [InlineData("DE", "residential", true)]
    [InlineData("DE", "vpn", false)]
    [InlineData("US", "residential", false)]
    public void Condition_SeveralKeysUnderOneOperator_AllMustMatch(string country, string network, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEquals": {"gate:CallerCountry": "DE", "gate:CallerNetworkType": "residential"}}""",
            r => (r.CallerCountry, r.CallerNetworkType) = (country, network)));

    [Theory]
    [InlineData("DE", "eu-west-1", true)]
    [InlineData("DE", "us-east-1", false)]
    [InlineData("US", "eu-west-1", false)]
    public void Condition_SeveralOperators_AllMustHold(string country, string region, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEquals": {"gate:CallerCountry": "DE"}, "StringLike": {"gate:EndpointRegion": "eu-*"}}""",
            r => (r.CallerCountry, r.EndpointRegion) = (country, region)));

    [Fact]
    public void Condition_KeyNameInAnotherCase_IsTheSameKey() =>
        Assert.True(Holds("""{"StringEquals": {"GATE:callercountry": "DE"}}""", r => r.CallerCountry = "DE"));

    // --- String operators ---

    [Theory]
    [InlineData("DE", true)]
    [InlineData("de", false)]
    [InlineData(null, false)]
    public void StringEquals_IsExactAndFalseForAMissingKey(string? country, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEquals": {"gate:CallerCountry": "DE"}}""", r => r.CallerCountry = country));

    [Theory]
    [InlineData("US", true)]
    [InlineData("DE", false)]
    [InlineData("FR", false)]
    [InlineData(null, true)]
    public void StringNotEquals_MatchesNoneOfTheValuesAndIsTrueForAMissingKey(string? country, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringNotEquals": {"gate:CallerCountry": ["DE", "FR"]}}""", r => r.CallerCountry = country));

    [Theory]
    [InlineData("ORG-A", true)]
    [InlineData("org-a", true)]
    [InlineData("org-b", false)]
    [InlineData(null, false)]
    public void StringEqualsIgnoreCase_IgnoresCase(string? organization, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEqualsIgnoreCase": {"gate:Organization": "Org-A"}}""", r => r.Organization = organization));

    [Theory]
    [InlineData("ORG-A", false)]
    [InlineData("org-b", true)]
    [InlineData(null, true)]
    public void StringNotEqualsIgnoreCase_IgnoresCaseAndIsTrueForAMissingKey(string? organization, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringNotEqualsIgnoreCase": {"gate:Organization": "Org-A"}}""", r => r.Organization = organization));

    [Theory]
    [InlineData("eu-west-1", true)]
    [InlineData("eu-central-1", true)]
    [InlineData("EU-west-1", false)]
    [InlineData("us-east-1", false)]
    [InlineData("ap-east-1", true)]
    [InlineData("ap-east-12", false)]
    [InlineData(null, false)]
    public void StringLike_MatchesWildcardsCaseSensitively(string? region, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringLike": {"gate:EndpointRegion": ["eu-*", "ap-east-?"]}}""", r => r.EndpointRegion = region));

    [Theory]
    [InlineData("eu-west-1", false)]
    [InlineData("us-east-1", true)]
    [InlineData(null, true)]
    public void StringNotLike_MatchesNoPatternAndIsTrueForAMissingKey(string? region, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringNotLike": {"gate:EndpointRegion": "eu-*"}}""", r => r.EndpointRegion = region));

    /// <summary>The residency rule cloud engineers write: deny every region except eu-*. A request that names no region is denied too.</summary>
    [Theory]
    [InlineData("eu-west-1", PolicyOutcome.Allow)]
    [InlineData("eu-central-1", PolicyOutcome.Allow)]
    [InlineData("us-east-1", PolicyOutcome.ExplicitDeny)]
    [InlineData(null, PolicyOutcome.ExplicitDeny)]
    public void DenyWithStringNotLike_DeniesEveryRegionButTheListedOnes(string? region, PolicyOutcome outcome)
    {
        var sut = CreateSut(AllowAll,
            """{"Sid": "KeepInEu", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotLike": {"gate:EndpointRegion": "eu-*"}}}""");

        Assert.Equal(outcome, sut.Evaluate(Request(r => r.EndpointRegion = region)).Outcome);
    }

    [Theory]
    [InlineData("US", PolicyOutcome.Allow)]
    [InlineData("DE", PolicyOutcome.ExplicitDeny)]
    [InlineData(null, PolicyOutcome.ExplicitDeny)]
    public void DenyWithStringNotEquals_DeniesEveryCountryButTheListedOne(string? country, PolicyOutcome outcome)
    {
        var sut = CreateSut(AllowAll,
            """{"Sid": "UsOnly", "Effect": "Deny", "Action": "model:Invoke", "Resource": "model/mythos-*", "Condition": {"StringNotEquals": {"gate:BillingCountry": "US"}}}""");

        Assert.Equal(outcome, sut.Evaluate(Request(r => r.BillingCountry = country)).Outcome);
    }

    // --- IfExists ---

    [Theory]
    [InlineData("eu-west-1", true)]
    [InlineData("us-east-1", false)]
    [InlineData(null, true)]
    public void StringLikeIfExists_ChecksAPresentKeyAndPassesAMissingOne(string? region, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringLikeIfExists": {"gate:RequestedRegion": "eu-*"}}""", r => r.RequestedRegion = region));

    [Theory]
    [InlineData("eu-west-1", false)]
    [InlineData("us-east-1", true)]
    [InlineData(null, true)]
    public void StringNotLikeIfExists_ChecksAPresentKeyAndPassesAMissingOne(string? region, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringNotLikeIfExists": {"gate:RequestedRegion": "eu-*"}}""", r => r.RequestedRegion = region));

    /// <summary>The trap: on a negated operator IfExists changes nothing, since a missing key already makes it true; the Deny applies.</summary>
    [Theory]
    [InlineData("StringNotLike")]
    [InlineData("StringNotLikeIfExists")]
    public void DenyWithANegatedOperator_AppliesToARequestWithoutTheKeyWithOrWithoutIfExists(string op)
    {
        var sut = CreateSut(AllowAll, $$$$"""{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"{{{{op}}}}": {"gate:RequestedRegion": "eu-*"}}}""");

        Assert.Equal(PolicyOutcome.ExplicitDeny, sut.Evaluate(Request()).Outcome);
        Assert.Equal(PolicyOutcome.Allow, sut.Evaluate(Request(r => r.RequestedRegion = "eu-west-1")).Outcome);
    }

    /// <summary>On a plain operator in a Deny, IfExists makes a missing key deny too.</summary>
    [Theory]
    [InlineData("StringLike", PolicyOutcome.Allow)]
    [InlineData("StringLikeIfExists", PolicyOutcome.ExplicitDeny)]
    public void DenyWithAPlainOperator_AppliesToARequestWithoutTheKeyOnlyWithIfExists(string op, PolicyOutcome outcome)
    {
        var sut = CreateSut(AllowAll, $$$$"""{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"{{{{op}}}}": {"gate:RequestedRegion": "us-*"}}}""");

        Assert.Equal(outcome, sut.Evaluate(Request()).Outcome);
        Assert.Equal(PolicyOutcome.ExplicitDeny, sut.Evaluate(Request(r => r.RequestedRegion = "us-east-1")).Outcome);
    }

    [Theory]
    [InlineData(100u, true)]
    [InlineData(300u, false)]
    [InlineData(null, true)]
    public void NumericLessThanIfExists_ChecksAPresentKeyAndPassesAMissingOne(uint? asn, bool holds) =>
        Assert.Equal(holds, Holds("""{"NumericLessThanIfExists": {"gate:CallerAsn": 200}}""", r => r.CallerAsn = asn));

    // --- Null ---

    [Theory]
    [InlineData("true", null, true)]
    [InlineData("true", "org-1", false)]
    [InlineData("false", null, false)]
    [InlineData("false", "org-1", true)]
    public void Null_TrueForAMissingKeyFalseForAPresentOne(string value, string? organization, bool holds) =>
        Assert.Equal(holds, Holds($$$"""{"Null": {"gate:Organization": "{{{value}}}"}}""", r => r.Organization = organization));

    [Fact]
    public void Null_OnTheMultiValuedKey_TreatsAnEmptySetAsMissing()
    {
        Assert.True(Holds("""{"Null": {"gate:LicensedCountries": true}}""", r => r.LicensedCountries = []));
        Assert.False(Holds("""{"Null": {"gate:LicensedCountries": true}}""", r => r.LicensedCountries = ["US"]));
    }

    // --- Set qualifiers on gate:LicensedCountries ---

    [Theory]
    [InlineData(new[] { "US" }, true)]
    [InlineData(new[] { "DE", "US" }, true)]
    [InlineData(new[] { "DE", "FR" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(null, false)]
    public void ForAnyValue_TrueWhenOneValueMatchesFalseForAnEmptyOrMissingSet(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAnyValue:StringEquals": {"gate:LicensedCountries": ["US", "GB"]}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "US" }, true)]
    [InlineData(new[] { "GB", "US" }, true)]
    [InlineData(new[] { "DE", "US" }, false)]
    [InlineData(new string[0], true)]
    [InlineData(null, true)]
    public void ForAllValues_TrueWhenEveryValueMatchesAndForAnEmptyOrMissingSet(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAllValues:StringEquals": {"gate:LicensedCountries": ["US", "GB"]}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "US" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(null, false)]
    public void ForAllValuesWithNullFalse_RefusesAnEmptyOrMissingSet(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAllValues:StringEquals": {"gate:LicensedCountries": ["US", "GB"]}, "Null": {"gate:LicensedCountries": "false"}}""",
            r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "US", "DE" }, true)]
    [InlineData(new[] { "US" }, false)]
    [InlineData(null, false)]
    public void ForAnyValueStringNotEquals_TrueWhenOneValueIsNoneOfThem(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAnyValue:StringNotEquals": {"gate:LicensedCountries": ["US", "GB"]}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "DE", "FR" }, true)]
    [InlineData(new[] { "DE", "US" }, false)]
    [InlineData(null, true)]
    public void ForAllValuesStringNotEquals_TrueWhenNoValueIsOneOfThem(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAllValues:StringNotEquals": {"gate:LicensedCountries": ["US", "GB"]}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "DE", "US" }, true)]
    [InlineData(new[] { "DE", "FR" }, false)]
    [InlineData(new string[0], true)]
    public void ForAnyValueIfExists_PassesAnEmptySet(string[] countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAnyValue:StringEqualsIfExists": {"gate:LicensedCountries": "US"}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "DE", "US" }, true)]
    [InlineData(new[] { "DE" }, false)]
    [InlineData(null, false)]
    public void PlainOperatorOnAMultiValuedKey_MatchesWhenAnyValueMatches(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringEquals": {"gate:LicensedCountries": "US"}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "DE", "US" }, false)]
    [InlineData(new[] { "DE" }, true)]
    [InlineData(null, true)]
    public void PlainNegatedOperatorOnAMultiValuedKey_MatchesWhenNoValueMatches(string[]? countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"StringNotEquals": {"gate:LicensedCountries": "US"}}""", r => r.LicensedCountries = countries));

    [Theory]
    [InlineData(new[] { "DE", "FR" }, true)]
    [InlineData(new[] { "DE", "US" }, false)]
    public void ForAllValuesStringLike_EveryValueMustMatchAPattern(string[] countries, bool holds) =>
        Assert.Equal(holds, Holds("""{"ForAllValues:StringLike": {"gate:LicensedCountries": ["D?", "F*"]}}""", r => r.LicensedCountries = countries));

    // --- Numeric (gate:CallerAsn) ---

    [Theory]
    [InlineData("NumericEquals", 13335u, true)]
    [InlineData("NumericEquals", 13336u, false)]
    [InlineData("NumericNotEquals", 13335u, false)]
    [InlineData("NumericNotEquals", 13336u, true)]
    [InlineData("NumericLessThan", 13334u, true)]
    [InlineData("NumericLessThan", 13335u, false)]
    [InlineData("NumericLessThanEquals", 13335u, true)]
    [InlineData("NumericLessThanEquals", 13336u, false)]
    [InlineData("NumericGreaterThan", 13336u, true)]
    [InlineData("NumericGreaterThan", 13335u, false)]
    [InlineData("NumericGreaterThanEquals", 13335u, true)]
    [InlineData("NumericGreaterThanEquals", 13334u, false)]
    public void Numeric_ComparesTheRequestValueWithThePolicyValue(string op, uint asn, bool holds) =>
        Assert.Equal(holds, Holds($$$"""{"{{{op}}}": {"gate:CallerAsn": "13335.0"}}""", r => r.CallerAsn = asn));

    [Theory]
    [InlineData("NumericEquals", false)]
    [InlineData("NumericLessThan", false)]
    [InlineData("NumericNotEquals", true)]
    public void Numeric_MissingKey_FalseUnlessNegated(string op, bool holds) =>
        Assert.Equal(holds, Holds($$$"""{"{{{op}}}": {"gate:CallerAsn": 13335}}""", r => r.CallerAsn = 0));

    [Fact]
    public void NumericEquals_SeveralValuesAndExponents_AnyMatches()
    {
        Assert.True(Holds("""{"NumericEquals": {"gate:CallerAsn": [16509, "1.3335e4"]}}""", r => r.CallerAsn = 13335));
        Assert.False(Holds("""{"NumericNotEquals": {"gate:CallerAsn": [16509, 13335]}}""", r => r.CallerAsn = 16509));
    }

    // --- Date (gate:CurrentTime) ---

    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("DateEquals", 0, true)]
    [InlineData("DateEquals", 1, false)]
    [InlineData("DateNotEquals", 0, false)]
    [InlineData("DateNotEquals", -1, true)]
    [InlineData("DateLessThan", -1, true)]
    [InlineData("DateLessThan", 0, false)]
    [InlineData("DateLessThanEquals", 0, true)]
    [InlineData("DateLessThanEquals", 1, false)]
    [InlineData("DateGreaterThan", 1, true)]
    [InlineData("DateGreaterThan", 0, false)]
    [InlineData("DateGreaterThanEquals", 0, true)]
    [InlineData("DateGreaterThanEquals", -1, false)]
    public void Date_ComparesInstants(string op, int secondsFromNoon, bool holds) =>
        Assert.Equal(holds, Holds($$$"""{"{{{op}}}": {"gate:CurrentTime": "2026-11-24T12:00:00Z"}}""", r => r.CurrentTime = Noon.AddSeconds(secondsFromNoon)));

    [Theory]
    [InlineData("2026-11-24T13:00:00+01:00")]
    [InlineData("2026-11-24T12:00:00")]
    [InlineData("1795521600")]
    public void DateEquals_OffsetsUtcAndEpochSeconds_AreTheSameInstant(string value) =>
        Assert.True(Holds($$$"""{"DateEquals": {"gate:CurrentTime": "{{{value}}}"}}""", r => r.CurrentTime = Noon));

    [Fact]
    public void Date_TimeWindow_AllowsOnlyInside()
    {
        const string window = """{"DateGreaterThanEquals": {"gate:CurrentTime": "2026-11-24"}, "DateLessThan": {"gate:CurrentTime": 1795564800}}""";

        Assert.True(Holds(window, r => r.CurrentTime = Noon));
        Assert.False(Holds(window, r => r.CurrentTime = Noon.AddHours(12)));
        Assert.False(Holds(window, r => r.CurrentTime = Noon.AddHours(-12.5)));
        Assert.False(Holds(window));
        Assert.True(Holds("""{"DateNotEquals": {"gate:CurrentTime": "2026-11-24"}}"""));
    }

    // --- Bool (gate:IdentityVerified) ---

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("true", false, false)]
    [InlineData("\"false\"", false, true)]
    [InlineData("\"TRUE\"", true, true)]
    [InlineData("true", null, false)]
    public void Bool_MatchesTheRequestValue(string value, bool? verified, bool holds) =>
        Assert.Equal(holds, Holds($$$"""{"Bool": {"gate:IdentityVerified": {{{value}}}}}""", r => r.IdentityVerified = verified));

    [Theory]
    [InlineData(false, false)]
    [InlineData(null, true)]
    public void BoolIfExists_PassesAMissingKey(bool? verified, bool holds) =>
        Assert.Equal(holds, Holds("""{"BoolIfExists": {"gate:IdentityVerified": true}}""", r => r.IdentityVerified = verified));

    // --- IP addresses (gate:CallerIp) ---

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("203.0.114.9", false)]
    [InlineData("198.51.100.7", true)]
    [InlineData("198.51.100.8", false)]
    [InlineData("::ffff:203.0.113.9", true)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::5", false)]
    [InlineData("::ffff:cb00:7109", true)]
    public void IpAddress_MatchesV4AndV6NetworksAndSingleAddresses(string address, bool holds) =>
        Assert.Equal(holds, Holds("""{"IpAddress": {"gate:CallerIp": ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"]}}""",
            r => r.CallerIp = IPAddress.Parse(address)));

    [Fact]
    public void IpAddress_AnIPv4NetworkNeverContainsAnIPv6Address()
    {
        Assert.False(Holds("""{"IpAddress": {"gate:CallerIp": "0.0.0.0/0"}}""", r => r.CallerIp = IPAddress.Parse("2001:db8::1")));
        Assert.True(Holds("""{"IpAddress": {"gate:CallerIp": "::/0"}}""", r => r.CallerIp = IPAddress.Parse("2001:db8::1")));
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("192.0.2.1", true)]
    [InlineData("fd00::1", false)]
    [InlineData(null, true)]
    public void NotIpAddress_TrueOutsideEveryNetworkAndForAMissingKey(string? address, bool holds) =>
        Assert.Equal(holds, Holds("""{"NotIpAddress": {"gate:CallerIp": ["10.0.0.0/8", "fd00::/8"]}}""",
            r => r.CallerIp = address is null ? null : IPAddress.Parse(address)));

    [Fact]
    public void IpAddress_MissingKey_IsFalse() =>
        Assert.False(Holds("""{"IpAddress": {"gate:CallerIp": "0.0.0.0/0"}}"""));

    // --- The request ---

    [Fact]
    public void Clear_MakesEveryKeyAbsent()
    {
        var request = Request(r =>
        {
            r.CallerCountry = "DE";
            r.LicensedCountries = ["DE"];
            r.CallerIp = IPAddress.Loopback;
            r.CallerAsn = 1;
            r.IdentityVerified = true;
            r.CurrentTime = Noon;
        });
        var sut = CreateSut(
            """{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"gate:CallerCountry": true, "gate:LicensedCountries": true, "gate:CallerIp": true, "gate:CallerAsn": true, "gate:IdentityVerified": true, "gate:CurrentTime": true}}}""");

        Assert.False(sut.Evaluate(request).IsAllowed);
        request.Clear();
        request.Action = PolicyActions.ModelInvoke;
        request.Resource = "model/x";

        Assert.True(sut.Evaluate(request).IsAllowed);
        Assert.Null(request.CurrentTime);
    }
}
