namespace Gatehouse.Engine.Usage;

/// <summary>Where usage is counted: one UTC day, one account of one organisation, one model (the model that served, a substitute when there was one).</summary>
public readonly record struct UsageKey(DateOnly Day, string AccountId, string OrganizationId, string Model);

/// <summary>
/// What was used: requests served, those whose response reported no usage (its tokens are
/// unknown and cost nothing), tokens, and their cost in nanodollars.
/// </summary>
public readonly record struct UsageAmount(long Requests, long UnmeteredRequests, long InputTokens, long OutputTokens, long CostNanodollars)
{
    public static UsageAmount operator +(UsageAmount a, UsageAmount b) => new(a.Requests + b.Requests, a.UnmeteredRequests + b.UnmeteredRequests,
        a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CostNanodollars + b.CostNanodollars);
}

/// <summary>One row of a usage report: the dimensions it was grouped by (the others null) and the sum.</summary>
public sealed record UsageTotal(DateOnly? Day, string? AccountId, string? OrganizationId, string? Model, UsageAmount Amount);

/// <summary>The dimensions a usage report is grouped by.</summary>
[Flags]
public enum UsageGrouping
{
    None = 0,
    Day = 1,
    Account = 2,
    Organization = 4,
    Model = 8,
    All = Day | Account | Organization | Model,
}

/// <param name="From">The first UTC day, inclusive.</param>
/// <param name="To">The last UTC day, inclusive.</param>
/// <param name="AccountId">Only this account's usage.</param>
/// <param name="OrganizationId">Only this organisation's usage.</param>
public sealed record UsageQuery(DateOnly From, DateOnly To, UsageGrouping GroupBy, string? AccountId = null, string? OrganizationId = null);
