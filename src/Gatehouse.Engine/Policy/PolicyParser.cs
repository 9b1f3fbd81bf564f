using System.Buffers;
using System.Text.Json;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// Reads a policy document into compiled statements, or collects every mistake in it. It goes on
/// after a mistake (skipping only what the mistake makes meaningless), so that one run names all
/// of them, each with its line, statement and field.
/// </summary>
internal sealed class PolicyParser
{
    /// <summary>The only policy language version: the one whose semantics IAM documents today.</summary>
    public const string Version = "2012-10-17";

    private const string ResourceShapes = "write model/<model-id> or endpoint/<region>/<model-id>";

    private static readonly SearchValues<char> ActionCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_*?:");

    private static readonly string[] DocumentFields = ["Version", "Id", "Statement"];
    private static readonly string[] StatementFields = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"];

    private readonly string _file;
    private readonly List<PolicyError> _errors = [];

    private PolicyParser(string file) => _file = file;

    /// <summary>Where a mistake is: inside which statement, if any.</summary>
    private readonly record struct Scope(int? Statement, string? Sid);

    private static readonly Scope DocumentScope = new(null, null);

    /// <exception cref="PolicyException">The document has mistakes; every one found is listed.</exception>
    public static PolicyStatement[] Parse(string json, string file)
    {
        PolicyJson root;
        try
        {
            root = PolicyJson.Read(json);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? (int)zeroBased + 1 : 0;
            throw new PolicyException([new PolicyError(file, line, null, null, "", "malformed JSON: " + DescribeJsonError(e))]);
        }

        var parser = new PolicyParser(file);
        var statements = parser.ReadDocument(root);
        return parser._errors.Count > 0 ? throw new PolicyException(parser._errors) : statements;
    }

    /// <summary>The reader's message without its own "LineNumber: … | BytePositionInLine: …" tail, which the error's line replaces.</summary>
    private static string DescribeJsonError(JsonException e)
    {
        var message = e.Message;
        var tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = tail > 0 ? message[..tail] : message;
        return e.BytePositionInLine is { } column ? $"{message} (column {column + 1})" : message;
    }

    private void Error(int line, Scope scope, string field, string message) =>
        _errors.Add(new PolicyError(_file, line, scope.Statement, scope.Sid, field, message));

    private PolicyStatement[] ReadDocument(PolicyJson root)
    {
        if (root.Kind != PolicyJsonKind.Object)
        {
            Error(root.Line, DocumentScope, "", $"a policy document is a JSON object with a Statement list, not {root.Description}");
            return [];
        }

        PolicyJson? statementNode = null;
        foreach (var member in Distinct(root, DocumentScope, ""))
        {
            switch (member.Name)
            {
                case "Version":
                    if (member.Value.Kind != PolicyJsonKind.String || member.Value.Text != Version)
                    {
                        Error(member.Line, DocumentScope, "Version", $"must be \"{Version}\" (the only version), or left out");
                    }
                    break;
                case "Id":
                    if (member.Value.Kind != PolicyJsonKind.String)
                    {
                        Error(member.Line, DocumentScope, "Id", $"must be a string, not {member.Value.Description}");
                    }
                    break;
                case "Statement":
                    statementNode = member.Value;
                    break;
                default:
                    Error(member.Line, DocumentScope, member.Name, UnknownField(member.Name, DocumentFields));
                    break;
            }
        }

        IReadOnlyList<PolicyJson> items;
        switch (statementNode?.Kind)
        {
            case null:
                Error(root.Line, DocumentScope, "Statement", "is required: a statement, or a list of them");
                return [];
            case PolicyJsonKind.Object:
                items = [statementNode];
                break;
            case PolicyJsonKind.Array when statementNode.Items.Count > 0:
                items = statementNode.Items;
                break;
            default:
                Error(statementNode.Line, DocumentScope, "Statement",
                    statementNode.Kind == PolicyJsonKind.Array ? "holds no statement" : $"must be a statement or a list of them, not {statementNode.Description}");
                return [];
        }

        var statements = new List<PolicyStatement>(items.Count);
        var sids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (ReadStatement(items[i], i, sids) is { } statement)
            {
                statements.Add(statement);
            }
        }
        return [.. statements];
    }

    /// <param name="sids">The Sids of the statements before this one, by index; this one's is added.</param>
    private PolicyStatement? ReadStatement(PolicyJson node, int index, Dictionary<string, int> sids)
    {
        var scope = new Scope(index, null);
        if (node.Kind != PolicyJsonKind.Object)
        {
            Error(node.Line, scope, "", $"a statement is a JSON object, not {node.Description}");
            return null;
        }
        // Read the Sid first, so that every other mistake in the statement names it.
        var sidMember = node.Members.FirstOrDefault(m => m.Name == "Sid");
        if (sidMember?.Value is { Kind: PolicyJsonKind.String, Text: { Length: > 0 } sidText })
        {
            scope = new Scope(index, sidText);
        }
        var errorsBefore = _errors.Count;

        PolicyEffect? effect = null;
        PatternList? actions = null, notActions = null, resources = null, notResources = null;
        List<PolicyCondition> conditions = [];
        foreach (var member in Distinct(node, scope, ""))
        {
            switch (member.Name)
            {
                case "Sid":
                    if (scope.Sid is null)
                    {
                        Error(member.Line, scope, "Sid", $"must be a non-empty string, not {(member.Value.Kind == PolicyJsonKind.String ? "an empty one" : member.Value.Description)}");
                    }
                    else if (!sids.TryAdd(scope.Sid, index))
                    {
                        Error(member.Line, scope, "Sid", $"is also the Sid of Statement[{sids[scope.Sid]}]; each statement's Sid must be unique");
                    }
                    break;
                case "Effect":
                    effect = member.Value.Text switch
                    {
                        "Allow" when member.Value.Kind == PolicyJsonKind.String => PolicyEffect.Allow,
                        "Deny" when member.Value.Kind == PolicyJsonKind.String => PolicyEffect.Deny,
                        _ => null,
                    };
                    if (effect is null)
                    {
                        Error(member.Line, scope, "Effect", $"must be \"Allow\" or \"Deny\", not {Quote(member.Value)}");
                    }
                    break;
                case "Action":
                    actions = ReadPatterns(member, scope, ActionProblem);
                    break;
                case "NotAction":
                    notActions = ReadPatterns(member, scope, ActionProblem);
                    break;
                case "Resource":
                    resources = ReadPatterns(member, scope, ResourceProblem);
                    break;
                case "NotResource":
                    notResources = ReadPatterns(member, scope, ResourceProblem);
                    break;
                case "Condition":
                    ReadConditions(member, scope, conditions);
                    break;
                case "Principal" or "NotPrincipal":
                    Error(member.Line, scope, member.Name, "is not used: a policy applies to whoever it is attached to (the gateway or an organisation)");
                    break;
                default:
                    Error(member.Line, scope, member.Name, UnknownField(member.Name, StatementFields));
                    break;
            }
        }

        if (effect is null && node.Members.All(m => m.Name != "Effect"))
        {
            Error(node.Line, scope, "Effect", "is required: \"Allow\" or \"Deny\"");
        }
        var action = OneOf(node, scope, actions, notActions, "Action", "NotAction", "model:Invoke");
        var resource = OneOf(node, scope, resources, notResources, "Resource", "NotResource", "model/*");
        if (_errors.Count > errorsBefore || effect is null || action is null || resource is null)
        {
            return null;
        }

        var reference = new PolicyStatementReference(_file, index, scope.Sid, effect.Value, node.Line);
        return new PolicyStatement(
            reference,
            action.Value.List.Values,
            action.Value.Negated,
            resource.Value.List.Values,
            resource.Value.Negated,
            [.. conditions]);
    }

    /// <summary>The values of an Action, Resource or their Not forms, and where they were written.</summary>
    private sealed record PatternList(IReadOnlyList<string> Values, int Line);

    /// <summary>Exactly one of a field and its Not form must be given.</summary>
    private (PatternList List, bool Negated)? OneOf(PolicyJson node, Scope scope, PatternList? plain, PatternList? negated, string name, string notName, string example)
    {
        if (plain is not null && negated is not null)
        {
            Error(negated.Line, scope, notName, $"is given together with {name}; a statement has one or the other");
            return null;
        }
        if (plain is null && negated is null)
        {
            if (node.Members.All(m => m.Name != name && m.Name != notName))
            {
                Error(node.Line, scope, name, $"is required (or {notName}), e.g. \"{example}\"");
            }
            return null;
        }
        return plain is not null ? (plain, false) : (negated!, true);
    }

    private PatternList? ReadPatterns(PolicyJsonMember member, Scope scope, Func<string, string?> problemOf)
    {
        var values = ReadScalars(member, scope, member.Name, stringsOnly: true);
        if (values is null)
        {
            return null;
        }
        var ok = true;
        foreach (var (text, line) in values)
        {
            if (problemOf(text) is { } problem)
            {
                Error(line, scope, member.Name, problem);
                ok = false;
            }
        }
        return ok ? new PatternList([.. values.Select(v => v.Text)], member.Line) : null;
    }

    /// <summary>
    /// A value or a non-empty list of values, each a string (for patterns) or any JSON scalar (for
    /// condition values, where IAM accepts <c>5</c> and <c>true</c> as well as <c>"5"</c>).
    /// </summary>
    private List<(string Text, int Line)>? ReadScalars(PolicyJsonMember member, Scope scope, string field, bool stringsOnly)
    {
        IReadOnlyList<PolicyJson> items = member.Value.Kind == PolicyJsonKind.Array ? member.Value.Items : [member.Value];
        var expected = stringsOnly ? "a string" : "a string, number or Boolean";
        if (items.Count == 0)
        {
            Error(member.Line, scope, field, $"is an empty list: give at least one value");
            return null;
        }
        var values = new List<(string, int)>(items.Count);
        foreach (var item in items)
        {
            if (stringsOnly ? item.Kind != PolicyJsonKind.String : !item.IsScalar)
            {
                Error(item.Line, scope, field, $"must be {expected} or a list of them, not {item.Description}");
                return null;
            }
            values.Add((item.Text!, item.Line));
        }
        return values;
    }

    private static string? ActionProblem(string action)
    {
        if (GlobPattern.MatchesEverything(action))
        {
            return null;
        }
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == action.Length - 1 || action.IndexOf(':', colon + 1) >= 0 || action.AsSpan().ContainsAnyExcept(ActionCharacters))
        {
            return $"'{action}' is not an action: write service:Name (letters, digits, '-', '_', wildcards * and ?), e.g. model:Invoke or model:*";
        }
        return null;
    }

    private static string? ResourceProblem(string resource)
    {
        if (GlobPattern.MatchesEverything(resource))
        {
            return null;
        }
        if (resource.Contains("${", StringComparison.Ordinal))
        {
            return $"'{resource}': policy variables (${{…}}) are not supported";
        }
        if (resource.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            return $"'{resource}' contains white space; {ResourceShapes}";
        }
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? resource : resource[..slash];
        if (GlobPattern.HasWildcards(type))
        {
            return null;
        }
        if (slash < 0 || slash == resource.Length - 1)
        {
            return $"'{resource}' is not a resource: {ResourceShapes}";
        }
        var rest = resource.AsSpan(slash + 1);
        return type switch
        {
            "model" => null,
            "endpoint" when GlobPattern.HasWildcards(rest) => null,
            "endpoint" when rest.IndexOf('/') is var cut && cut > 0 && cut < rest.Length - 1 => null,
            "endpoint" => $"'{resource}' names no model: an endpoint resource is endpoint/<region>/<model-id>",
            _ => $"unknown resource type '{type}' in '{resource}': {ResourceShapes}",
        };
    }

    private void ReadConditions(PolicyJsonMember member, Scope scope, List<PolicyCondition> conditions)
    {
        if (member.Value.Kind != PolicyJsonKind.Object)
        {
            Error(member.Line, scope, "Condition", $"must be an object of operators, e.g. {{\"StringEquals\": {{\"gate:CallerCountry\": \"US\"}}}}, not {member.Value.Description}");
            return;
        }
        foreach (var opMember in Distinct(member.Value, scope, "Condition."))
        {
            var field = "Condition." + opMember.Name;
            if (!ConditionOperator.TryParse(opMember.Name, out var op, out var error))
            {
                Error(opMember.Line, scope, "Condition", error);
                continue;
            }
            if (opMember.Value.Kind != PolicyJsonKind.Object || opMember.Value.Members.Count == 0)
            {
                Error(opMember.Line, scope, field, $"must be an object of condition keys and values, e.g. {{\"gate:CallerCountry\": \"US\"}}, not {(opMember.Value.Kind == PolicyJsonKind.Object ? "an empty one" : opMember.Value.Description)}");
                continue;
            }
            var seen = new HashSet<ConditionKey>();
            foreach (var keyMember in opMember.Value.Members)
            {
                if (ReadCondition(keyMember, op, scope, field) is { } condition)
                {
                    if (seen.Add(condition.Key))
                    {
                        conditions.Add(condition);
                    }
                    else
                    {
                        Error(keyMember.Line, scope, field, $"'{condition.Key.Name}' is written twice under this operator");
                    }
                }
            }
        }
    }

    private PolicyCondition? ReadCondition(PolicyJsonMember keyMember, ConditionOperator op, Scope scope, string operatorField)
    {
        var key = ConditionKey.Find(keyMember.Name);
        if (key is null)
        {
            var hint = NearestName.Find(keyMember.Name, ConditionKey.All.Select(k => k.Name)) is { } near ? $" (did you mean '{near}'?)" : "";
            Error(keyMember.Line, scope, operatorField, $"unknown condition key '{keyMember.Name}'{hint}");
            return null;
        }
        if (op.KeyType is { } type && type != key.Type)
        {
            Error(keyMember.Line, scope, operatorField, $"{op.Name} applies to keys of type {TypeName(type)}, and {key.Name} is of type {TypeName(key.Type)}: use {OperatorsFor(key.Type)}");
            return null;
        }
        if (op.Qualifier != SetQualifier.None && !key.IsMultiValued)
        {
            Error(keyMember.Line, scope, operatorField,
                $"{op.Qualifier}: applies to multi-valued keys ({string.Join(", ", ConditionKey.All.Where(k => k.IsMultiValued))}); {key.Name} has one value: drop the qualifier");
            return null;
        }

        var field = $"{operatorField}.{keyMember.Name}";
        var values = ReadScalars(keyMember, scope, field, stringsOnly: false);
        if (values is null)
        {
            return null;
        }
        var errorsBefore = _errors.Count;
        PolicyCondition condition = op.Family switch
        {
            OperatorFamily.String => new StringCondition(key, op, Convert(values, scope, field, v => ConditionValues.StringProblem(v, key, op), v => v)),
            OperatorFamily.Numeric => new NumericCondition(key, op, [.. Convert(values, scope, field, ConditionValues.NumberProblem, ConditionValues.ParseNumber)]),
            OperatorFamily.Date => new DateCondition(key, op, [.. Convert(values, scope, field, ConditionValues.DateProblem, ConditionValues.ParseDate)]),
            OperatorFamily.IpAddress => new IpAddressCondition(key, op, [.. Convert(values, scope, field, ConditionValues.NetworkProblem, ConditionValues.ParseNetwork)]),
            OperatorFamily.Bool => BoolOrNull(values, scope, field, (yes, no) => new BoolCondition(key, op, yes, no)),
            _ => BoolOrNull(values, scope, field, (absent, present) => new NullCondition(key, op, absent, present)),
        };
        return _errors.Count > errorsBefore ? null : condition;
    }

    /// <summary>Checks each value, reporting every one that is wrong, and converts the rest.</summary>
    private List<T> Convert<T>(List<(string Text, int Line)> values, Scope scope, string field, Func<string, string?> problemOf, Func<string, T> convert)
    {
        var converted = new List<T>(values.Count);
        foreach (var (text, line) in values)
        {
            if (problemOf(text) is { } problem)
            {
                Error(line, scope, field, problem);
            }
            else
            {
                converted.Add(convert(text));
            }
        }
        return converted;
    }

    /// <summary>Bool and Null take <c>true</c> and/or <c>false</c> (any case, as a string or a JSON Boolean).</summary>
    private PolicyCondition BoolOrNull(List<(string Text, int Line)> values, Scope scope, string field, Func<bool, bool, PolicyCondition> create)
    {
        bool matchesTrue = false, matchesFalse = false;
        foreach (var (text, line) in values)
        {
            if (bool.TryParse(text, out var value))
            {
                matchesTrue |= value;
                matchesFalse |= !value;
            }
            else
            {
                Error(line, scope, field, $"'{text}' is not true or false");
            }
        }
        return create(matchesTrue, matchesFalse);
    }

    private static string TypeName(ConditionKeyType type) => type switch
    {
        ConditionKeyType.String => "string",
        ConditionKeyType.Number => "number",
        ConditionKeyType.Date => "date",
        ConditionKeyType.Bool => "Boolean",
        _ => "IP address",
    };

    private static string OperatorsFor(ConditionKeyType type) => type switch
    {
        ConditionKeyType.String => "StringEquals, StringLike, …",
        ConditionKeyType.Number => "NumericEquals, NumericLessThan, …",
        ConditionKeyType.Date => "DateLessThan, DateGreaterThan, …",
        ConditionKeyType.Bool => "Bool",
        _ => "IpAddress or NotIpAddress",
    };

    /// <summary>The members of an object, reporting and skipping any written twice (JSON allows it; a policy must not).</summary>
    private IEnumerable<PolicyJsonMember> Distinct(PolicyJson node, Scope scope, string fieldPrefix)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in node.Members)
        {
            if (seen.Add(member.Name))
            {
                yield return member;
            }
            else
            {
                Error(member.Line, scope, fieldPrefix + member.Name, "is written twice");
            }
        }
    }

    private static string UnknownField(string name, IEnumerable<string> known) =>
        NearestName.Find(name, known) is { } near
            ? $"unknown field (did you mean '{near}'? field names are case-sensitive)"
            : $"unknown field (expected {string.Join(", ", known)})";

    private static string Quote(PolicyJson value) => value.Kind == PolicyJsonKind.String ? $"\"{value.Text}\"" : value.Description;
}
