using System.Globalization;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Usage;

namespace Gatehouse.Host.Admin;

/// <summary>Usage reports and daily budgets.</summary>
internal static partial class AdminApi
{
    private const int DefaultUsageDays = 30;
    private const decimal MaxDailyBudgetUsd = 1_000_000_000m;

    private static readonly (string Name, UsageGrouping Flag)[] UsageDimensions =
        [("day", UsageGrouping.Day), ("account", UsageGrouping.Account), ("organization", UsageGrouping.Organization), ("model", UsageGrouping.Model)];

    private static void MapUsage(RouteGroupBuilder admin)
    {
        admin.MapGet("/usage", UsageReportAsync).WithMetadata(AdminAccess.Read);
        admin.MapGet("/budgets", (SpendLedger ledger, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return ledger.Budgets.OrderBy(b => b.SubjectId, StringComparer.Ordinal).Select(b => BudgetView.From(b, ledger.SpentToday(b.SubjectId, now), now)).ToList();
        }).WithMetadata(AdminAccess.Read);
        admin.MapPut("/budgets/{scope}/{id}", SetBudgetAsync).WithMetadata(AdminAccess.Manage);
        admin.MapDelete("/budgets/{scope}/{id}", RemoveBudgetAsync).WithMetadata(AdminAccess.Manage);
    }

    /// <summary>Sums from the store after writing what is pending, so that a report includes every request answered before it was asked for.</summary>
    private static async Task<IResult> UsageReportAsync(string? from, string? to, string? accountId, string? organizationId, string? by,
        IUsageStore store, UsageRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var last = Day(to, "to") ?? SpendLedger.DayOf(time.GetUtcNow());
        var first = Day(from, "from") ?? last.AddDays(1 - DefaultUsageDays);
        if (first > last)
        {
            throw Invalid("from", $"{first:yyyy-MM-dd} is after to ({last:yyyy-MM-dd})");
        }
        var grouping = UsageGrouping.None;
        foreach (var name in (by ?? string.Join(',', UsageDimensions.Select(d => d.Name))).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            grouping |= UsageDimensions.FirstOrDefault(d => d.Name == name) is { Name: not null } dimension
                ? dimension.Flag
                : throw Invalid("by", $"'{name}' is not a dimension; use any of {string.Join(", ", UsageDimensions.Select(d => d.Name))}, separated by commas");
        }
        await recorder.FlushAsync(cancellationToken);
        var totals = await store.LoadUsageAsync(new UsageQuery(first, last, grouping, Optional(accountId, "accountId"), Optional(organizationId, "organizationId")), cancellationToken);
        var sum = totals.Aggregate(default(UsageAmount), (s, t) => s + t.Amount);
        return Results.Ok(new UsageReportView(first, last, [.. UsageDimensions.Where(d => grouping.HasFlag(d.Flag)).Select(d => d.Name)],
            [.. totals.Select(UsageRowView.From)], UsageRowView.From(new UsageTotal(null, null, null, null, sum))));
    }

    private static DateOnly? Day(string? text, string field) => text is null
        ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw Invalid(field, $"'{text}' is not a day; write it as YYYY-MM-DD (UTC), e.g. 2026-11-23");

    private static async Task<IResult> SetBudgetAsync(string scope, string id, SetBudgetRequest request, HttpContext context, IdentityState identity,
        BudgetAdministration budgets, SpendLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Subject(scope, id, identity) is not { } budgetScope)
        {
            return NotFound($"There is no {scope.TrimEnd('s')} {id}.");
        }
        var limit = request.DailyLimitUsd switch
        {
            null => throw Invalid("dailyLimitUsd", "is required: the most it may spend per UTC day, in US dollars, e.g. 25.00"),
            <= 0 or > MaxDailyBudgetUsd => throw Invalid("dailyLimitUsd", $"must be above 0 and at most {MaxDailyBudgetUsd} US dollars, not {request.DailyLimitUsd}"),
            var dollars => Nanodollars.FromDollars(dollars.Value),
        };
        var budget = await budgets.SetAsync(budgetScope, id, limit, AdminAuthentication.ActorOf(context), Optional(request.Comment, "comment"), cancellationToken);
        var now = time.GetUtcNow();
        return Results.Ok(BudgetView.From(budget, ledger.SpentToday(id, now), now));
    }

    private static async Task<IResult> RemoveBudgetAsync(string scope, string id, string? comment, HttpContext context, IdentityState identity,
        BudgetAdministration budgets, SpendLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Subject(scope, id, identity) is null ||
            await budgets.RemoveAsync(id, AdminAuthentication.ActorOf(context), Optional(comment, "comment"), cancellationToken) is not { } removed)
        {
            return NotFound($"There is no budget for {scope.TrimEnd('s')} {id}.");
        }
        var now = time.GetUtcNow();
        return Results.Ok(BudgetView.From(removed, ledger.SpentToday(id, now), now));
    }

    /// <summary>The scope a <c>/budgets/{scope}/{id}</c> address names, when the account or organisation exists.</summary>
    private static BudgetScope? Subject(string scope, string id, IdentityState identity) => scope switch
    {
        "accounts" when identity.Current.TryGetAccount(id, out _) => BudgetScope.Account,
        "organizations" when identity.Current.TryGetOrganization(id, out _) => BudgetScope.Organization,
        _ => null,
    };
}
