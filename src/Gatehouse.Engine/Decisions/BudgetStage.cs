using Gatehouse.Engine.Usage;

namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Refuses every request of an account whose daily budget, or whose organisation's, is spent.
/// Right after the account's standing: a spent budget refuses every model alike, and the check
/// is a dictionary lookup that allocates nothing unless it refuses.
/// </summary>
internal sealed class BudgetStage(ISpendLimits limits) : IDecisionStage
{
    public DecisionLayer Layer => DecisionLayer.Budget;

    public StageResult Evaluate(DecisionContext context)
    {
        if (context.Request.Principal is not { } principal)
        {
            return StageResult.Continue;
        }
        var account = principal.Account.Id;
        if (limits.Exhausted(account, principal.Organization.Id, context.Now) is not { } exhausted)
        {
            if (context.Request.Explains)
            {
                context.Record(Layer, "budget.daily", "within", $"no daily budget of account {account} or organisation {principal.Organization.Id} is spent");
            }
            return StageResult.Continue;
        }
        var budget = exhausted.Budget;
        var whose = budget.Scope == BudgetScope.Account ? $"Account {account}" : $"Organisation {budget.SubjectId} (of account {account})";
        var spent = $"{Nanodollars.Format(exhausted.SpentNanodollars)} of its daily budget of {Nanodollars.Format(budget.DailyLimitNanodollars)}";
        context.Record(Layer, "budget.daily", "exceeded", $"{whose} has spent {spent} on {SpendLedger.DayOf(context.Now):yyyy-MM-dd} (UTC)");
        return StageResult.Deny(ReasonCodes.BudgetExceeded, "budget.daily",
            $"{whose} has spent {spent} today (UTC), so its requests are refused until the budget starts again at {exhausted.ResetsAt:yyyy-MM-dd HH:mm:ss}Z. " +
            "Contact your administrator to raise it.");
    }
}
