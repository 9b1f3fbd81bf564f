using System.Globalization;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>Usage per day and budgets.</summary>
public sealed partial class SqliteStore : IUsageStore
{
    private const string DayFormat = "yyyy-MM-dd";
    private const string BudgetColumns = "subject_id, scope, daily_limit_nanodollars, changed_at, changed_by";

    public async Task AddUsageAsync(IReadOnlyCollection<KeyValuePair<UsageKey, UsageAmount>> usage, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var add = Command(connection, transaction, """
            INSERT INTO usage_daily (day, account_id, organization_id, model, requests, unmetered_requests, input_tokens, output_tokens, cost_nanodollars)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT(day, account_id, organization_id, model) DO UPDATE SET
                requests = requests + excluded.requests,
                unmetered_requests = unmetered_requests + excluded.unmetered_requests,
                input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                cost_nanodollars = cost_nanodollars + excluded.cost_nanodollars
            """, new object?[9]))
        {
            foreach (var (key, amount) in usage)
            {
                object[] values = [key.Day.ToString(DayFormat, CultureInfo.InvariantCulture), key.AccountId, key.OrganizationId, key.Model,
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
        var values = new List<object?> { query.From.ToString(DayFormat, CultureInfo.InvariantCulture), query.To.ToString(DayFormat, CultureInfo.InvariantCulture) };
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
            SELECT {select}, SUM(requests), SUM(unmetered_requests), SUM(input_tokens), SUM(output_tokens), SUM(cost_nanodollars), COUNT(*)
            FROM usage_daily WHERE {string.Join(" AND ", where)} {groupBy}
            """, values, ReadUsageTotal, cancellationToken);
        // Without grouping, SQLite answers one row of NULL sums even when nothing matched.
        return [.. rows.OfType<UsageTotal>()];
    }

    private static UsageTotal? ReadUsageTotal(SqliteDataReader r) => r.GetInt64(9) == 0
        ? null
        : new UsageTotal(
            r.IsDBNull(0) ? null : DateOnly.ParseExact(r.GetString(0), DayFormat, CultureInfo.InvariantCulture), Text(r, 1), Text(r, 2), Text(r, 3),
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
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            INSERT INTO budgets ({BudgetColumns}) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT(subject_id) DO UPDATE SET scope = excluded.scope, daily_limit_nanodollars = excluded.daily_limit_nanodollars,
                changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """, [budget.SubjectId, EnumNames<BudgetScope>.Of(budget.Scope), budget.DailyLimitNanodollars, WriteTime(budget.ChangedAt), budget.ChangedBy], cancellationToken);
        await InsertAuditAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RemoveBudgetAsync(string subjectId, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM budgets WHERE subject_id = $1", [subjectId], cancellationToken);
        await InsertAuditAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
