namespace Gatehouse.Engine.Usage;

/// <summary>Whose spending a budget limits.</summary>
public enum BudgetScope
{
    Account,
    Organization,
}

/// <summary>
/// A spending limit per UTC day for one account or one organisation (all its accounts together).
/// Once the day's spend reaches it, requests are refused with <c>budget.exceeded</c> until midnight UTC.
/// </summary>
/// <param name="SubjectId">The account (<c>acc_…</c>) or organisation (<c>org_…</c>).</param>
/// <param name="ChangedBy">The admin token (<c>gha_… (role)</c>) that set it.</param>
public sealed record Budget(BudgetScope Scope, string SubjectId, long DailyLimitNanodollars, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>A budget that is spent: what the decision tells the caller.</summary>
public sealed record BudgetExhaustion(Budget Budget, long SpentNanodollars, DateTimeOffset ResetsAt);

/// <summary>Where the decision pipeline learns whether a caller's budget is spent.</summary>
public interface ISpendLimits
{
    /// <summary>
    /// The account's budget if today's spend has reached it, else its organisation's if that one
    /// is spent, else null. Called for every request: constant time, and no allocation unless spent.
    /// </summary>
    BudgetExhaustion? Exhausted(string accountId, string organizationId, DateTimeOffset now);
}
