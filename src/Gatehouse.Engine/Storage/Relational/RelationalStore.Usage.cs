using System.Data.Common;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Engine.Storage.Relational;

/// <summary>Usage per day and budgets.</summary>
public abstract partial class RelationalStore
{
    private const string BudgetColumns = "subject_id, scope, daily_limit_nanodollars, changed_at, changed_by";

    public async Task AddUsageAsync(IReadOnlyCollection<KeyValuePair<UsageKey, UsageAmount>> usage, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var add = Command(connection, transaction, """
            INSERT INTO usage_daily (day, account_id, organization_id, model, requests, unmetered_requests, input_tokens, output_tokens, cost_nanodollars)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT(day, account_id, organization_id, model) DO UPDATE SET
                requests = usage_daily.requests + excluded.requests,
                unmetered_requests = usage_daily.unmetered_requests + excluded.unmetered_requests,
                input_tokens = usage_daily.input_tokens + excluded.input_tokens,
                output_tokens = usage_daily.output_tokens + excluded.output_tokens,
                cost_nanodollars = usage_daily.cost_nanodollars + excluded.cost_nanodollars
            """, new object?[9]))
        {
            // In one order on every node, so that two nodes adding to the same rows wait for each other instead of deadlocking.
            foreach (var (key, amount) in usage.OrderBy(u => u.Key.Day).ThenBy(u => u.Key.AccountId, StringComparer.Ordinal)
                         .ThenBy(u => u.Key.OrganizationId, StringComparer.Ordinal).ThenBy(u => u.Key.Model, StringComparer.Ordinal))
            {
                object[] values = [WriteDay(key.Day), key.AccountId, key.OrganizationId, key.Model,
                    amount.Requests, amount.UnmeteredRequests, amount.InputTokens, amount.OutputTokens, amount.CostNanodollars];
                for (var i = 0; i < values.Length; i++)
                {
                    add.Parameters[i].Value = values[i];
                }
                await add.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UsageTotal>> LoadUsageAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        // Column names come from this fixed list, never from the caller.
        var dimensions = new (UsageGrouping Flag, string Column)[]
        {
            (UsageGrouping.Day, "day"), (UsageGrouping.Account, "account_id"), (UsageGrouping.Organization, "organization_id"), (UsageGrouping.Model, "model"),
        };
        var grouped = dimensions.Where(d => query.GroupBy.HasFlag(d.Flag)).Select(d => d.Column).ToList();
        var select = string.Join(", ", dimensions.Select(d => query.GroupBy.HasFlag(d.Flag) ? d.Column : "NULL"));
        var where = new List<string> { "day >= $1", "day <= $2" };
        var values = new List<object?> { WriteDay(query.From), WriteDay(query.To) };
        if (query.AccountId is not null)
        {
            values.Add(query.AccountId);
            where.Add($"account_id = ${values.Count}");
        }
        if (query.OrganizationId is not null)
        {
            values.Add(query.OrganizationId);
            where.Add($"organization_id = ${values.Count}");
        }
        var groupBy = grouped.Count == 0 ? "" : $"GROUP BY {string.Join(", ", grouped)} ORDER BY {string.Join(", ", grouped)}";
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, $"""
            SELECT {select}, CAST(SUM(requests) AS BIGINT), CAST(SUM(unmetered_requests) AS BIGINT), CAST(SUM(input_tokens) AS BIGINT),
                CAST(SUM(output_tokens) AS BIGINT), CAST(SUM(cost_nanodollars) AS BIGINT), COUNT(*)
            FROM usage_daily WHERE {string.Join(" AND ", where)} {groupBy}
            """, values, ReadUsageTotal, cancellationToken);
        // Without grouping, SQL answers one row of NULL sums even when nothing matched. PostgreSQL sums BIGINT into NUMERIC, hence the casts.
        return [.. rows.OfType<UsageTotal>()];
    }

    private UsageTotal? ReadUsageTotal(DbDataReader r) => r.GetInt64(9) == 0
        ? null
        : new UsageTotal(
            r.IsDBNull(0) ? null : ReadDay(r, 0), Text(r, 1), Text(r, 2), Text(r, 3),
            new UsageAmount(r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8)));

    public async Task<IReadOnlyList<Budget>> LoadBudgetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {BudgetColumns} FROM budgets ORDER BY subject_id", [], r => new Budget(
            EnumNames<BudgetScope>.TryParse(r.GetString(1), out var scope) ? scope : throw new InvalidDataException($"Unknown budget scope '{r.GetString(1)}' in the database."),
            r.GetString(0), r.GetInt64(2), ReadTime(r, 3)!.Value, r.GetString(4)), cancellationToken);
    }

    public async Task SaveBudgetAsync(Budget budget, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            INSERT INTO budgets ({BudgetColumns}) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT(subject_id) DO UPDATE SET scope = excluded.scope, daily_limit_nanodollars = excluded.daily_limit_nanodollars,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """, [budget.SubjectId, EnumNames<BudgetScope>.Of(budget.Scope), budget.DailyLimitNanodollars, WriteTime(budget.ChangedAt), budget.ChangedBy], cancellationToken);
        await InsertAuditAsync(connection, transaction, audit, cancellationToken);
        await AnnounceAsync(connection, transaction, StoreChange.Budgets, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RemoveBudgetAsync(string subjectId, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM budgets WHERE subject_id = $1", [subjectId], cancellationToken);
        await InsertAuditAsync(connection, transaction, audit, cancellationToken);
        await AnnounceAsync(connection, transaction, StoreChange.Budgets, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
