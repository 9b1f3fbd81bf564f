using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Audit;

namespace Gatehouse.Host.Usage;

/// <summary>
/// Loads budgets and today's spend at start (and shares it through Redis, when the nodes share
/// counters), and changes budgets: each change is stored with its audit entry in one transaction,
/// put in force in the ledger for the next request, and recorded in the hash-chained audit log.
/// </summary>
internal sealed class BudgetAdministration(IUsageStore store, SpendLedger ledger, SharedSpend sharedSpend, TimeProvider timeProvider, AuditWriter audit)
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadBudgetsAsync(cancellationToken);
        var today = SpendLedger.DayOf(timeProvider.GetUtcNow());
        var totals = new List<(string SubjectId, long Nanodollars)>();
        foreach (var (grouping, subject) in new (UsageGrouping, Func<UsageTotal, string?>)[] { (UsageGrouping.Account, t => t.AccountId), (UsageGrouping.Organization, t => t.OrganizationId) })
        {
            foreach (var total in await store.LoadUsageAsync(new UsageQuery(today, today, grouping), cancellationToken))
            {
                ledger.Observe(subject(total)!, today, total.Amount.CostNanodollars);
                totals.Add((subject(total)!, total.Amount.CostNanodollars));
            }
        }
        await sharedSpend.SeedAsync(totals);
    }

    /// <summary>Reads every budget again, for the ones other gateways set.</summary>
    public async Task LoadBudgetsAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            ledger.SetBudgets(await store.LoadBudgetsAsync(cancellationToken));
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<Budget> SetAsync(BudgetScope scope, string subjectId, long dailyLimitNanodollars, string actor, string? comment, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            var before = ledger.BudgetOf(subjectId);
            var budget = new Budget(scope, subjectId, dailyLimitNanodollars, now, actor);
            var changes = $"dailyLimitUsd: {(before is null ? "-" : Dollars(before))} → {Dollars(budget)}";
            var entry = new AuditEntry(Identifiers.New("aud"), now, actor, "budget.set", subjectId, changes, comment);
            await store.SaveBudgetAsync(budget, entry, cancellationToken);
            ledger.SetBudget(subjectId, budget);
            await audit.RecordChangesAsync([entry], cancellationToken);
            return budget;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Removes the subject's budget; null when it had none.</summary>
    public async Task<Budget?> RemoveAsync(string subjectId, string actor, string? comment, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            if (ledger.BudgetOf(subjectId) is not { } before)
            {
                return null;
            }
            var entry = new AuditEntry(Identifiers.New("aud"), timeProvider.GetUtcNow(), actor, "budget.remove", subjectId, $"dailyLimitUsd: {Dollars(before)} → -", comment);
            await store.RemoveBudgetAsync(subjectId, entry, cancellationToken);
            ledger.SetBudget(subjectId, null);
            await audit.RecordChangesAsync([entry], cancellationToken);
            return before;
        }
        finally
        {
            _writes.Release();
        }
    }

    private static string Dollars(Budget budget) => Nanodollars.ToDollars(budget.DailyLimitNanodollars).ToString("0.00########", System.Globalization.CultureInfo.InvariantCulture);
}
