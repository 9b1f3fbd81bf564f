using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Storage.Tests;

/// <summary>Usage per day and budgets: every store keeps them too.</summary>
public abstract partial class GatehouseStoreContract
{
    private static readonly DateOnly Day1 = new(2026, 11, 23);
    private static readonly DateOnly Day2 = new(2026, 11, 24);

    private async Task<IUsageStore> MigratedUsageStoreAsync() => Assert.IsAssignableFrom<IUsageStore>(await MigratedStoreAsync());

    private static Task AddAsync(IUsageStore store, params (UsageKey Key, UsageAmount Amount)[] usage) =>
        store.AddUsageAsync([.. usage.Select(u => KeyValuePair.Create(u.Key, u.Amount))], CancellationToken.None);

    private static async Task<IReadOnlyList<UsageTotal>> LoadAsync(IUsageStore store, UsageGrouping by, DateOnly? from = null, DateOnly? to = null,
        string? account = null, string? organization = null) =>
        await store.LoadUsageAsync(new UsageQuery(from ?? Day1, to ?? Day2, by, account, organization), CancellationToken.None);

    [Fact]
    public async Task AddUsage_SameKeyTwice_IsSummed()
    {
        var store = await MigratedUsageStoreAsync();
        var key = new UsageKey(Day1, "acc_1", "org_1", "mythos-5");

        await AddAsync(store, (key, new UsageAmount(1, 0, 100, 20, 3_000_000)));
        await AddAsync(store, (key, new UsageAmount(2, 1, 50, 5, 1_500_000)));

        Assert.Equal([new UsageTotal(Day1, "acc_1", "org_1", "mythos-5", new UsageAmount(3, 1, 150, 25, 4_500_000))], await LoadAsync(store, UsageGrouping.All));
    }

    [Fact]
    public async Task LoadUsage_GroupsFiltersAndOrders()
    {
        var store = await MigratedUsageStoreAsync();
        await AddAsync(store,
            (new UsageKey(Day2, "acc_1", "org_1", "llama"), new UsageAmount(1, 0, 10, 1, 100)),
            (new UsageKey(Day1, "acc_1", "org_1", "mythos-5"), new UsageAmount(1, 0, 20, 2, 200)),
            (new UsageKey(Day1, "acc_2", "org_1", "mythos-5"), new UsageAmount(1, 0, 30, 3, 300)),
            (new UsageKey(Day1, "acc_3", "org_2", "llama"), new UsageAmount(1, 1, 0, 0, 0)),
            (new UsageKey(Day2.AddDays(1), "acc_1", "org_1", "llama"), new UsageAmount(9, 0, 9, 9, 9)));

        Assert.Equal(
            [new UsageTotal(null, null, null, "llama", new UsageAmount(2, 1, 10, 1, 100)), new UsageTotal(null, null, null, "mythos-5", new UsageAmount(2, 0, 50, 5, 500))],
            await LoadAsync(store, UsageGrouping.Model));
        Assert.Equal(
            [new UsageTotal(Day1, null, "org_1", null, new UsageAmount(2, 0, 50, 5, 500)), new UsageTotal(Day1, null, "org_2", null, new UsageAmount(1, 1, 0, 0, 0)),
                new UsageTotal(Day2, null, "org_1", null, new UsageAmount(1, 0, 10, 1, 100))],
            await LoadAsync(store, UsageGrouping.Day | UsageGrouping.Organization));
        Assert.Equal([new UsageTotal(null, "acc_1", null, null, new UsageAmount(2, 0, 30, 3, 300))], await LoadAsync(store, UsageGrouping.Account, account: "acc_1"));
        Assert.Equal([new UsageTotal(null, null, null, null, new UsageAmount(2, 0, 50, 5, 500))],
            await LoadAsync(store, UsageGrouping.None, from: Day1, to: Day1, organization: "org_1"));
    }

    [Fact]
    public async Task LoadUsage_NothingInRange_IsEmptyEvenWithoutGrouping()
    {
        var store = await MigratedUsageStoreAsync();
        await AddAsync(store, (new UsageKey(Day1, "acc_1", "org_1", "llama"), new UsageAmount(1, 0, 1, 1, 1)));

        Assert.Empty(await LoadAsync(store, UsageGrouping.None, from: Day2, to: Day2));
        Assert.Empty(await LoadAsync(store, UsageGrouping.All, account: "acc_9"));
    }

    [Fact]
    public async Task Budgets_SetReplaceRemove_AreStoredWithTheirAuditEntries()
    {
        var store = await MigratedUsageStoreAsync();
        var account = new Budget(BudgetScope.Account, "acc_1", 10_000_000_000, Time, "gha_1 (admin)");
        var organization = new Budget(BudgetScope.Organization, "org_1", 250_000_000_000, Time, "gha_1 (admin)");
        AuditEntry Audit(string id, string action, string target) => new(id, Time, "gha_1 (admin)", action, target, "dailyLimitUsd: …", null);

        await store.SaveBudgetAsync(account, Audit("aud_1", "budget.set", "acc_1"), CancellationToken.None);
        await store.SaveBudgetAsync(organization, Audit("aud_2", "budget.set", "org_1"), CancellationToken.None);
        var raised = account with { DailyLimitNanodollars = 20_000_000_000, ChangedAt = Time.AddHours(1) };
        await store.SaveBudgetAsync(raised, Audit("aud_3", "budget.set", "acc_1"), CancellationToken.None);
        Assert.Equal([raised, organization], await store.LoadBudgetsAsync(CancellationToken.None));

        await store.RemoveBudgetAsync("acc_1", Audit("aud_4", "budget.remove", "acc_1"), CancellationToken.None);

        Assert.Equal([organization], await store.LoadBudgetsAsync(CancellationToken.None));
        var audit = await ((Engine.Storage.IGatehouseStore)store).LoadAuditAsync(new Engine.Storage.AuditFilter("acc_1"), CancellationToken.None);
        Assert.Equal(["budget.remove", "budget.set", "budget.set"], audit.Select(a => a.Action));
    }
}
