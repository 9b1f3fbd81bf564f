using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Gatehouse.Engine.Policy;

/// <summary>Which kind of value an operator compares; it must be the key's type (<see cref="ConditionKeyType"/>), except for Null.</summary>
internal enum OperatorFamily
{
    String,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Null,
}

/// <summary>How one request value is compared with one policy value, before any negation.</summary>
internal enum Comparison
{
    Equal,
    EqualIgnoreCase,
    Like,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,

    /// <summary>IpAddress: the address is inside the network.</summary>
    InNetwork,

    /// <summary>Null: whether the key is absent.</summary>
    Absent,
}

internal enum SetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>
/// A condition operator as written, e.g. <c>ForAllValues:StringNotLikeIfExists</c>, taken apart:
/// the base operator, whether it is negated, the <c>IfExists</c> suffix and the set qualifier.
/// Names are case-sensitive, as in IAM.
/// </summary>
internal readonly record struct ConditionOperator(string Name, OperatorFamily Family, Comparison Comparison, bool Negated, bool IfExists, SetQualifier Qualifier)
{
    private const string IfExistsSuffix = "IfExists";
    private const string ForAnyValuePrefix = "ForAnyValue:";
    private const string ForAllValuesPrefix = "ForAllValues:";

    private static readonly FrozenDictionary<string, (OperatorFamily Family, Comparison Comparison, bool Negated)> Bases =
        new Dictionary<string, (OperatorFamily, Comparison, bool)>
        {
            ["StringEquals"] = (OperatorFamily.String, Comparison.Equal, false),
            ["StringNotEquals"] = (OperatorFamily.String, Comparison.Equal, true),
            ["StringEqualsIgnoreCase"] = (OperatorFamily.String, Comparison.EqualIgnoreCase, false),
            ["StringNotEqualsIgnoreCase"] = (OperatorFamily.String, Comparison.EqualIgnoreCase, true),
            ["StringLike"] = (OperatorFamily.String, Comparison.Like, false),
            ["StringNotLike"] = (OperatorFamily.String, Comparison.Like, true),
            ["NumericEquals"] = (OperatorFamily.Numeric, Comparison.Equal, false),
            ["NumericNotEquals"] = (OperatorFamily.Numeric, Comparison.Equal, true),
            ["NumericLessThan"] = (OperatorFamily.Numeric, Comparison.LessThan, false),
            ["NumericLessThanEquals"] = (OperatorFamily.Numeric, Comparison.LessThanOrEqual, false),
            ["NumericGreaterThan"] = (OperatorFamily.Numeric, Comparison.GreaterThan, false),
            ["NumericGreaterThanEquals"] = (OperatorFamily.Numeric, Comparison.GreaterThanOrEqual, false),
            ["DateEquals"] = (OperatorFamily.Date, Comparison.Equal, false),
            ["DateNotEquals"] = (OperatorFamily.Date, Comparison.Equal, true),
            ["DateLessThan"] = (OperatorFamily.Date, Comparison.LessThan, false),
            ["DateLessThanEquals"] = (OperatorFamily.Date, Comparison.LessThanOrEqual, false),
            ["DateGreaterThan"] = (OperatorFamily.Date, Comparison.GreaterThan, false),
            ["DateGreaterThanEquals"] = (OperatorFamily.Date, Comparison.GreaterThanOrEqual, false),
            ["Bool"] = (OperatorFamily.Bool, Comparison.Equal, false),
            ["IpAddress"] = (OperatorFamily.IpAddress, Comparison.InNetwork, false),
            ["NotIpAddress"] = (OperatorFamily.IpAddress, Comparison.InNetwork, true),
            ["Null"] = (OperatorFamily.Null, Comparison.Absent, false),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads an operator name, or says why it is not one.</summary>
    public static bool TryParse(string name, out ConditionOperator result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var rest = name;
        var qualifier = SetQualifier.None;
        if (rest.StartsWith(ForAnyValuePrefix, StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest[ForAnyValuePrefix.Length..];
        }
        else if (rest.StartsWith(ForAllValuesPrefix, StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest[ForAllValuesPrefix.Length..];
        }
        var ifExists = rest.EndsWith(IfExistsSuffix, StringComparison.Ordinal) && rest.Length > IfExistsSuffix.Length;
        if (ifExists)
        {
            rest = rest[..^IfExistsSuffix.Length];
        }

        if (!Bases.TryGetValue(rest, out var found))
        {
            error = $"unknown condition operator '{name}'" + Suggestion(name);
            return false;
        }
        if (found.Family == OperatorFamily.Null && ifExists)
        {
            error = "Null takes no IfExists suffix: it already tests whether the key exists";
            return false;
        }
        if (found.Family == OperatorFamily.Null && qualifier != SetQualifier.None)
        {
            error = "Null takes no set qualifier: it tests whether the key exists, not its values";
            return false;
        }
        result = new ConditionOperator(name, found.Family, found.Comparison, found.Negated, ifExists, qualifier);
        error = null;
        return true;
    }

    /// <summary>Names a known operator the unknown one differs from only in case or a qualifier's spelling.</summary>
    private static string Suggestion(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var prefix = name[..(colon + 1)];
            if (!prefix.Equals(ForAnyValuePrefix, StringComparison.Ordinal) && !prefix.Equals(ForAllValuesPrefix, StringComparison.Ordinal))
            {
                return $" (the set qualifiers are '{ForAnyValuePrefix}' and '{ForAllValuesPrefix}')";
            }
        }
        var bare = colon >= 0 ? name[(colon + 1)..] : name;
        foreach (var known in Bases.Keys)
        {
            if (bare.Equals(known, StringComparison.OrdinalIgnoreCase) || bare.Equals(known + IfExistsSuffix, StringComparison.OrdinalIgnoreCase))
            {
                return $" (operator names are case-sensitive: '{known}')";
            }
        }
        return "";
    }

    /// <summary>The key type this operator compares, or null when it applies to any key (Null).</summary>
    public ConditionKeyType? KeyType => Family switch
    {
        OperatorFamily.String => ConditionKeyType.String,
        OperatorFamily.Numeric => ConditionKeyType.Number,
        OperatorFamily.Date => ConditionKeyType.Date,
        OperatorFamily.Bool => ConditionKeyType.Bool,
        OperatorFamily.IpAddress => ConditionKeyType.IpAddress,
        _ => null,
    };

    /// <summary>
    /// The condition's value when the request has no value for the key (absent, or an empty set),
    /// as IAM documents it: <c>IfExists</c> makes it true; <c>ForAllValues</c> is true (the
    /// well-known edge case) and <c>ForAnyValue</c> false; otherwise a plain operator is false and a
    /// negated one true. Null is decided elsewhere.
    /// </summary>
    public bool WhenAbsent => IfExists || Qualifier switch
    {
        SetQualifier.ForAllValues => true,
        SetQualifier.ForAnyValue => false,
        _ => Negated,
    };

    /// <summary>
    /// Whether every request value must pass (rather than one). Without a qualifier a plain
    /// operator passes when any request value matches one of the policy's values, and a negated
    /// one when no request value does: each is the exact complement of the other, on one value
    /// or on a set.
    /// </summary>
    public bool RequiresEveryValue => Qualifier switch
    {
        SetQualifier.ForAllValues => true,
        SetQualifier.ForAnyValue => false,
        _ => Negated,
    };

    public override string ToString() => Name;
}
