using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>Parsing: what a valid document is, and an error naming file, line, statement and field for each kind of mistake.</summary>
public sealed class PolicyDocumentTests
{
    private const string File = "policies/eu.json";

    /// <summary>
    /// A document whose third statement (index 2, Sid "KeepInEu", starting on line 4) is the one
    /// under test; its body starts on line 5.
    /// </summary>
    private static string WithThirdStatement(string body) => $$$"""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "*", "Resource": "*"},
          {"Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*"},
          {"Sid": "KeepInEu",
           {{{body}}}}
        ]}
        """;

    private static PolicyException ParseFails(string json) => Assert.Throws<PolicyException>(() => PolicyDocument.Parse(json, File));

    private static PolicyError SingleError(string json) => Assert.Single(ParseFails(json).Errors);

    [Fact]
    public void Parse_ArrayOfStatements_ReadsEveryOne()
    {
        var document = PolicyDocument.Parse(WithThirdStatement("""
           "Effect": "Deny", "Action": ["model:Invoke", "endpoint:*"], "NotResource": "model/open-*",
           "Condition": {"StringNotLike": {"gate:EndpointRegion": "eu-*"}}
        """), File);

        Assert.Equal(File, document.Name);
        Assert.Equal(3, document.StatementCount);
    }

    [Fact]
    public void Parse_SingleStatementObjectWithoutVersion_IsAccepted()
    {
        var document = PolicyDocument.Parse("""{"Statement": {"Effect": "Allow", "Action": "model:Invoke", "Resource": "model/*"}}""", File);
        var request = new PolicyRequest { Action = "model:Invoke", Resource = "model/llama-3" };

        var result = PolicySet.Compile([document]).Evaluate(request);

        Assert.Equal(1, document.StatementCount);
        Assert.Equal(0, result.Statement!.Index);
        Assert.Null(result.Statement.Sid);
    }

    [Fact]
    public void Parse_UnknownConditionKey_NamesFileLineStatementSidAndField()
    {
        var error = ParseFails(WithThirdStatement("""
           "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"StringEquals": {"gate:Countryy": "DE"}}
        """));

        Assert.Equal("policies/eu.json:6: Statement[2] (Sid \"KeepInEu\"): Condition.StringEquals: unknown condition key 'gate:Countryy'", error.Message);
        Assert.Equal(new PolicyError(File, 6, 2, "KeepInEu", "Condition.StringEquals", "unknown condition key 'gate:Countryy'"), error.Errors[0]);
    }

    [Fact]
    public void Parse_MisspeltConditionKey_SuggestsTheNearestKey()
    {
        var error = SingleError("""{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"gate:CallerCountri": "DE"}}}}""");

        Assert.Equal("unknown condition key 'gate:CallerCountri' (did you mean 'gate:CallerCountry'?)", error.Message);
        Assert.Equal(0, error.Statement);
        Assert.Null(error.Sid);
    }

    [Theory]
    [InlineData("StringEqual", "unknown condition operator 'StringEqual'")]
    [InlineData("stringEquals", "unknown condition operator 'stringEquals' (operator names are case-sensitive: 'StringEquals')")]
    [InlineData("ForAnyValues:StringEquals", "unknown condition operator 'ForAnyValues:StringEquals' (the set qualifiers are 'ForAnyValue:' and 'ForAllValues:')")]
    [InlineData("NullIfExists", "Null takes no IfExists suffix: it already tests whether the key exists")]
    [InlineData("ArnEquals", "unknown condition operator 'ArnEquals'")]
    public void Parse_UnknownOperator_IsAnError(string op, string message)
    {
        var error = SingleError(WithThirdStatement($$$"""
           "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"{{{op}}}": {"gate:CallerCountry": "DE"}}
        """));

        Assert.Equal((6, 2, "KeepInEu", "Condition", message), (error.Line, error.Statement, error.Sid, error.Field, error.Message));
    }

    [Theory]
    [InlineData("\"allow\"", "must be \"Allow\" or \"Deny\", not \"allow\"")]
    [InlineData("true", "must be \"Allow\" or \"Deny\", not a Boolean")]
    public void Parse_BadEffect_IsAnError(string effect, string message)
    {
        var error = SingleError(WithThirdStatement($$$""" "Effect": {{{effect}}}, "Action": "*", "Resource": "*" """));

        Assert.Equal((5, "Effect", message), (error.Line, error.Field, error.Message));
    }

    [Fact]
    public void Parse_MissingEffectActionAndResource_ReportsEachAtTheStatement()
    {
        var errors = ParseFails(WithThirdStatement(""" "Condition": {} """)).Errors;

        Assert.Equal(
            [
                "policies/eu.json:4: Statement[2] (Sid \"KeepInEu\"): Effect: is required: \"Allow\" or \"Deny\"",
                "policies/eu.json:4: Statement[2] (Sid \"KeepInEu\"): Action: is required (or NotAction), e.g. \"model:Invoke\"",
                "policies/eu.json:4: Statement[2] (Sid \"KeepInEu\"): Resource: is required (or NotResource), e.g. \"model/*\"",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_BothActionAndNotAction_IsAnError()
    {
        var error = SingleError(WithThirdStatement("""
           "Effect": "Deny", "Action": "*", "Resource": "*",
           "NotAction": "model:Invoke"
        """));

        Assert.Equal((6, "NotAction", "is given together with Action; a statement has one or the other"), (error.Line, error.Field, error.Message));
    }

    [Fact]
    public void Parse_BothResourceAndNotResource_IsAnError()
    {
        var error = SingleError(WithThirdStatement(""" "Effect": "Deny", "Action": "*", "Resource": "*", "NotResource": "model/x" """));

        Assert.Equal("NotResource", error.Field);
    }

    [Theory]
    [InlineData("modelInvoke")]
    [InlineData("model:")]
    [InlineData(":Invoke")]
    [InlineData("model:Invoke:now")]
    [InlineData("model: Invoke")]
    public void Parse_MalformedAction_IsAnError(string action)
    {
        var error = SingleError(WithThirdStatement($$$""" "Effect": "Allow", "Action": ["model:Invoke", "{{{action}}}"], "Resource": "*" """));

        Assert.Equal("Action", error.Field);
        Assert.StartsWith($"'{action}' is not an action", error.Message);
    }

    [Fact]
    public void Parse_UnknownButWellFormedAction_IsAccepted() =>
        Assert.Equal(1, PolicyDocument.Parse("""{"Statement": {"Effect": "Allow", "Action": "model:Describe", "Resource": "*"}}""", File).StatementCount);

    [Theory]
    [InlineData("models/mythos-5", "unknown resource type 'models' in 'models/mythos-5': write model/<model-id> or endpoint/<region>/<model-id>")]
    [InlineData("model", "'model' is not a resource: write model/<model-id> or endpoint/<region>/<model-id>")]
    [InlineData("model/", "'model/' is not a resource: write model/<model-id> or endpoint/<region>/<model-id>")]
    [InlineData("endpoint/eu-west-1", "'endpoint/eu-west-1' names no model: an endpoint resource is endpoint/<region>/<model-id>")]
    [InlineData("model/${gate:Model}", "'model/${gate:Model}': policy variables (${…}) are not supported")]
    public void Parse_MalformedResource_IsAnError(string resource, string message)
    {
        var error = SingleError(WithThirdStatement($$$""" "Effect": "Allow", "Action": "*", "NotResource": "{{{resource}}}" """));

        Assert.Equal(("NotResource", message), (error.Field, error.Message));
    }

    [Theory]
    [InlineData("DateLessThan", "\"2026-13-01\"", "'2026-13-01' is not a date: use ISO 8601 (2026-11-24T09:00:00Z) or seconds since 1970")]
    [InlineData("DateLessThan", "\"11/24/2026\"", "'11/24/2026' is not a date: use ISO 8601 (2026-11-24T09:00:00Z) or seconds since 1970")]
    public void Parse_BadDate_IsAnError(string op, string value, string message)
    {
        var error = SingleError(WithThirdStatement($$$"""
           "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"{{{op}}}": {"gate:CurrentTime": {{{value}}}}}
        """));

        Assert.Equal((6, $"Condition.{op}.gate:CurrentTime", message), (error.Line, error.Field, error.Message));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("300.0.0.0/8")]
    [InlineData("2001:db8::/129")]
    [InlineData("eu-west-1")]
    public void Parse_BadCidr_IsAnError(string network)
    {
        var error = SingleError(WithThirdStatement($$$"""
           "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"NotIpAddress": {"gate:CallerIp": ["10.0.0.0/8", "{{{network}}}"]}}
        """));

        Assert.Equal((6, "Condition.NotIpAddress.gate:CallerIp"), (error.Line, error.Field));
        Assert.Equal($"'{network}' is not an IP address or CIDR network, e.g. 203.0.113.0/24 or 2001:db8::/32", error.Message);
    }

    [Theory]
    [InlineData("""{"NumericLessThan": {"gate:CallerAsn": "many"}}""", "'many' is not a number")]
    [InlineData("""{"Bool": {"gate:IdentityVerified": "yes"}}""", "'yes' is not true or false")]
    [InlineData("""{"Null": {"gate:Model": "maybe"}}""", "'maybe' is not true or false")]
    [InlineData("""{"StringEquals": {"gate:CallerCountry": "de"}}""", "'de' is not a country code: use ISO 3166-1 alpha-2 codes in upper case, e.g. DE")]
    [InlineData("""{"StringEquals": {"gate:CallerNetworkType": "VPN"}}""", "'VPN' is not a network type: use residential, hosting, vpn, tor, private or unknown")]
    [InlineData("""{"StringEquals": {"gate:Organization": {"id": 1}}}""", "must be a string, number or Boolean or a list of them, not an object")]
    [InlineData("""{"StringEquals": {"gate:Organization": []}}""", "is an empty list: give at least one value")]
    [InlineData("""{"StringEquals": {"gate:Organization": "${gate:Model}"}}""", "'${gate:Model}': policy variables (${…}) are not supported")]
    public void Parse_BadConditionValue_IsAnError(string condition, string message)
    {
        var error = SingleError($$$"""{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {{{condition}}}}}""");

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_CountryInAnyCaseUnderIgnoreCase_IsAccepted() =>
        PolicyDocument.Parse("""{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEqualsIgnoreCase": {"gate:CallerCountry": "de", "gate:CallerNetworkType": "VPN"}}}}""", File);

    [Theory]
    [InlineData("DateLessThan", "gate:CallerCountry", "DateLessThan applies to keys of type date, and gate:CallerCountry is of type string: use StringEquals, StringLike, …")]
    [InlineData("StringEquals", "gate:CurrentTime", "StringEquals applies to keys of type string, and gate:CurrentTime is of type date: use DateLessThan, DateGreaterThan, …")]
    [InlineData("IpAddress", "gate:CallerCountry", "IpAddress applies to keys of type IP address, and gate:CallerCountry is of type string: use StringEquals, StringLike, …")]
    [InlineData("NumericEquals", "gate:CallerIp", "NumericEquals applies to keys of type number, and gate:CallerIp is of type IP address: use IpAddress or NotIpAddress")]
    [InlineData("ForAllValues:StringEquals", "gate:CallerCountry", "ForAllValues: applies to multi-valued keys (gate:LicensedCountries); gate:CallerCountry has one value: drop the qualifier")]
    public void Parse_OperatorThatCannotApplyToTheKey_IsAnError(string op, string key, string message)
    {
        var error = SingleError(
            """{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {""" + $"\"{op}\": {{\"{key}\": \"1\"}}" + "}}}");

        Assert.Equal(($"Condition.{op}", message), (error.Field, error.Message));
    }

    [Fact]
    public void Parse_UnknownFieldsAndPrincipal_AreErrors()
    {
        var errors = ParseFails("""
            {"Statement": {"Sid": "S", "Effect": "Allow", "Actions": "*", "Resource": "*", "Principal": "*", "Colour": "red"}, "Versoin": "x"}
            """).Errors;

        Assert.Equal(
            [
                "policies/eu.json:1: Versoin: unknown field (did you mean 'Version'? field names are case-sensitive)",
                "policies/eu.json:1: Statement[0] (Sid \"S\"): Actions: unknown field (did you mean 'Action'? field names are case-sensitive)",
                "policies/eu.json:1: Statement[0] (Sid \"S\"): Principal: is not used: a policy applies to whoever it is attached to (the gateway or an organisation)",
                "policies/eu.json:1: Statement[0] (Sid \"S\"): Colour: unknown field (expected Sid, Effect, Action, NotAction, Resource, NotResource, Condition)",
                "policies/eu.json:1: Statement[0] (Sid \"S\"): Action: is required (or NotAction), e.g. \"model:Invoke\"",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_DuplicateSidAndFieldWrittenTwice_AreErrors()
    {
        var errors = ParseFails("""
            {"Statement": [
              {"Sid": "Same", "Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Sid": "Same", "Effect": "Allow", "Action": "*", "Resource": "*", "Effect": "Deny"}
            ]}
            """).Errors;

        Assert.Equal(
            [
                "policies/eu.json:3: Statement[1] (Sid \"Same\"): Sid: is also the Sid of Statement[0]; each statement's Sid must be unique",
                "policies/eu.json:3: Statement[1] (Sid \"Same\"): Effect: is written twice",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_SameKeyTwiceUnderOneOperatorInAnotherCase_IsAnError()
    {
        var error = SingleError("""{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"gate:Model": "a", "GATE:MODEL": "b"}}}}""");

        Assert.Equal("'gate:Model' is written twice under this operator", error.Message);
    }

    [Theory]
    [InlineData("""{"Version": "2008-10-17", "Statement": []}""", "policies/eu.json:1: Version: must be \"2012-10-17\" (the only version), or left out")]
    [InlineData("""{"Version": "2012-10-17"}""", "policies/eu.json:1: Statement: is required: a statement, or a list of them")]
    [InlineData("""["Statement"]""", "policies/eu.json:1: a policy document is a JSON object with a Statement list, not an array")]
    [InlineData("""{"Statement": "Allow"}""", "policies/eu.json:1: Statement: must be a statement or a list of them, not a string")]
    [InlineData("""{"Statement": ["Allow"]}""", "policies/eu.json:1: Statement[0]: a statement is a JSON object, not a string")]
    public void Parse_MisshapenDocument_IsAnError(string json, string message) =>
        Assert.Contains(message, ParseFails(json).Errors.Select(e => e.ToString()));

    [Fact]
    public void Parse_MalformedJson_NamesTheLine()
    {
        var error = SingleError("""
            {"Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Effect": "Allow", "Action": "*" "Resource": "*"}
            ]}
            """);

        Assert.Equal(3, error.Line);
        Assert.Null(error.Statement);
        Assert.StartsWith("policies/eu.json:3: malformed JSON: ", error.ToString());
        Assert.Contains("column", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("{\"Statement\": []} {}")]
    public void Parse_EmptyOrTrailingText_IsMalformedJson(string json) =>
        Assert.StartsWith("malformed JSON: ", SingleError(json).Message);

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored() =>
        Assert.Equal(1, PolicyDocument.Parse("\uFEFF{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}", File).StatementCount);

    [Fact]
    public void Parse_SeveralMistakes_ReportsThemAllInDocumentOrder()
    {
        var exception = ParseFails("""
            {"Statement": [
              {"Effect": "Permit", "Action": "*", "Resource": "*"},
              {"Sid": "Second", "Effect": "Deny", "Action": "*", "Resource": "*",
               "Condition": {"StringEquals": {"gate:Country": "DE"}, "DateLessThan": {"gate:CurrentTime": "soon"}}}
            ]}
            """);

        Assert.Equal([2, 4, 4], exception.Errors.Select(e => e.Line));
        Assert.Equal([0, 1, 1], exception.Errors.Select(e => e.Statement ?? -1));
        Assert.Equal(3, exception.Message.Split(Environment.NewLine).Length);
    }
}
