using System.Net;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// One key under one operator of a statement's <c>Condition</c>, with its values already parsed
/// (numbers, instants, networks, frozen sets and patterns), so that evaluating reads one request
/// slot and compares. A statement's conditions all hold for it to match (AND).
/// </summary>
internal abstract class PolicyCondition(ConditionKey key, ConditionOperator op)
{
    public ConditionKey Key { get; } = key;

    public ConditionOperator Operator { get; } = op;

    public abstract bool IsSatisfiedBy(PolicyRequest request);
}

/// <summary>
/// The operators that compare values: the request's values for the key against the policy's.
/// The policy's values are alternatives (OR); a negated operator passes a request value that
/// matches none of them. Which request values must pass, and what an absent key gives, follow
/// the operator's qualifier and suffix (<see cref="ConditionOperator.RequiresEveryValue"/>,
/// <see cref="ConditionOperator.WhenAbsent"/>).
/// </summary>
internal abstract class ValueCondition(ConditionKey key, ConditionOperator op) : PolicyCondition(key, op)
{
    private readonly bool _whenAbsent = op.WhenAbsent;
    private readonly bool _everyValue = op.RequiresEveryValue;
    private readonly bool _negated = op.Negated;

    public sealed override bool IsSatisfiedBy(PolicyRequest request)
    {
        var count = request.CountOf(Key);
        if (count == 0)
        {
            return _whenAbsent;
        }
        for (var i = 0; i < count; i++)
        {
            var passes = Matches(request, i) != _negated;
            if (passes != _everyValue)
            {
                // One value that passes settles "any"; one that fails settles "every".
                return passes;
            }
        }
        return _everyValue;
    }

    /// <summary>Whether the request's value at <paramref name="index"/> matches one of the policy's values, before negation.</summary>
    protected abstract bool Matches(PolicyRequest request, int index);
}

/// <summary>The String operators: exact (ordinal or ignoring case) or with wildcards (<c>StringLike</c>).</summary>
internal sealed class StringCondition(ConditionKey key, ConditionOperator op, IReadOnlyList<string> values) : ValueCondition(key, op)
{
    private readonly StringMatcher _values = StringMatcher.Create(
        values, ignoreCase: op.Comparison == Comparison.EqualIgnoreCase, wildcards: op.Comparison == Comparison.Like);

    protected override bool Matches(PolicyRequest request, int index) => _values.IsMatch(request.StringAt(Key, index));
}

/// <summary>The Numeric and Date operators: an ordered comparison with each of the policy's values.</summary>
internal abstract class OrderedCondition<T>(ConditionKey key, ConditionOperator op, T[] values) : ValueCondition(key, op)
    where T : struct, IComparable<T>
{
    private readonly Comparison _comparison = op.Comparison;

    protected sealed override bool Matches(PolicyRequest request, int index)
    {
        var value = ValueOf(request);
        foreach (var bound in values)
        {
            var order = value.CompareTo(bound);
            var matches = _comparison switch
            {
                Comparison.LessThan => order < 0,
                Comparison.LessThanOrEqual => order <= 0,
                Comparison.GreaterThan => order > 0,
                Comparison.GreaterThanOrEqual => order >= 0,
                _ => order == 0,
            };
            if (matches)
            {
                return true;
            }
        }
        return false;
    }

    protected abstract T ValueOf(PolicyRequest request);
}

internal sealed class NumericCondition(ConditionKey key, ConditionOperator op, decimal[] values) : OrderedCondition<decimal>(key, op, values)
{
    protected override decimal ValueOf(PolicyRequest request) => request.NumberOf(Key);
}

/// <summary>Instants compared as UTC ticks.</summary>
internal sealed class DateCondition(ConditionKey key, ConditionOperator op, long[] utcTicks) : OrderedCondition<long>(key, op, utcTicks)
{
    protected override long ValueOf(PolicyRequest request) => request.TicksOf(Key);
}

internal sealed class BoolCondition(ConditionKey key, ConditionOperator op, bool matchesTrue, bool matchesFalse) : ValueCondition(key, op)
{
    protected override bool Matches(PolicyRequest request, int index) => request.BoolOf(Key) ? matchesTrue : matchesFalse;
}

/// <summary>IpAddress and NotIpAddress; an IPv4 network never contains an IPv6 address nor the reverse.</summary>
internal sealed class IpAddressCondition(ConditionKey key, ConditionOperator op, IPNetwork[] networks) : ValueCondition(key, op)
{
    protected override bool Matches(PolicyRequest request, int index)
    {
        var address = request.AddressOf(Key);
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// <c>Null</c>: <c>"true"</c> holds when the key is absent (or an empty set), <c>"false"</c>
/// when it has a value; listing both holds always.
/// </summary>
internal sealed class NullCondition(ConditionKey key, ConditionOperator op, bool whenAbsent, bool whenPresent) : PolicyCondition(key, op)
{
    public override bool IsSatisfiedBy(PolicyRequest request) => request.CountOf(Key) == 0 ? whenAbsent : whenPresent;
}
