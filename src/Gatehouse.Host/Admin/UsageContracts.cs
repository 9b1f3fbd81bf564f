using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Host.Admin;

// The wire types of usage and budgets, shared by the server and the CLI.

/// <param name="DailyLimitUsd">The most the account or organisation may spend per UTC day, in US dollars.</param>
/// <param name="Comment">Why, for the audit log.</param>
public sealed record SetBudgetRequest(decimal? DailyLimitUsd, string? Comment = null);

/// <param name="Scope">account or organization.</param>
/// <param name="SpentTodayUsd">What the subject has spent since midnight UTC (requests still in flight not yet counted).</param>
/// <param name="Exhausted">Whether requests are being refused with budget.exceeded.</param>
/// <param name="ResetsAt">The next midnight UTC, when the day's spend starts again from nothing.</param>
public sealed record BudgetView(string Scope, string SubjectId, decimal DailyLimitUsd, decimal SpentTodayUsd, bool Exhausted, DateTimeOffset ResetsAt,
    DateTimeOffset ChangedAt, string ChangedBy)
{
    public static BudgetView From(Budget budget, long spentToday, DateTimeOffset now) => new(EnumNames<BudgetScope>.Of(budget.Scope), budget.SubjectId,
        Nanodollars.ToDollars(budget.DailyLimitNanodollars), Nanodollars.ToDollars(spentToday), spentToday >= budget.DailyLimitNanodollars,
        SpendLedger.NextReset(now), budget.ChangedAt, budget.ChangedBy);
}

/// <summary>One group of a usage report; the dimensions it is not grouped by are null.</summary>
/// <param name="UnmeteredRequests">Requests whose response reported no usage: counted, tokens unknown, no cost.</param>
public sealed record UsageRowView(DateOnly? Day, string? AccountId, string? OrganizationId, string? Model, long Requests, long UnmeteredRequests,
    long InputTokens, long OutputTokens, decimal CostUsd)
{
    public static UsageRowView From(UsageTotal total) => new(total.Day, total.AccountId, total.OrganizationId, total.Model, total.Amount.Requests,
        total.Amount.UnmeteredRequests, total.Amount.InputTokens, total.Amount.OutputTokens, Nanodollars.ToDollars(total.Amount.CostNanodollars));
}

/// <param name="By">The dimensions rows are grouped by: day, account, organization, model.</param>
/// <param name="Total">The sum of every row.</param>
public sealed record UsageReportView(DateOnly From, DateOnly To, IReadOnlyList<string> By, IReadOnlyList<UsageRowView> Rows, UsageRowView Total);
