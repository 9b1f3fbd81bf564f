using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Usage;

/// <summary>Durable usage and budgets; part of every store, beside <see cref="Storage.IGatehouseStore"/>.</summary>
public interface IUsageStore
{
    /// <summary>Adds each amount to what is stored under its key, all in one transaction.</summary>
    Task AddUsageAsync(IReadOnlyCollection<KeyValuePair<UsageKey, UsageAmount>> usage, CancellationToken cancellationToken);

    /// <summary>Sums over the query's days and filters, one row per group, ordered by day, account, organisation and model.</summary>
    Task<IReadOnlyList<UsageTotal>> LoadUsageAsync(UsageQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<Budget>> LoadBudgetsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the budget (replacing one for the same subject) and its audit entry in one transaction.</summary>
    Task SaveBudgetAsync(Budget budget, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Removes the subject's budget and stores the audit entry in one transaction.</summary>
    Task RemoveBudgetAsync(string subjectId, AuditEntry audit, CancellationToken cancellationToken);
}
