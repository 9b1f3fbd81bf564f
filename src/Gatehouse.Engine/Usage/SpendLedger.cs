using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Gatehouse.Engine.Usage;

/// <summary>
/// Today's spend of every account and organisation, and their budgets, in memory: loaded from
/// the store at start, added to as each response's usage is recorded, and asked by the budget
/// stage for every request. Spend counts for the UTC day it was decided on; a new day starts
/// each counter again from nothing.
/// </summary>
public sealed class SpendLedger : ISpendLimits
{
    /// <summary>One subject's spend on one day; both fields change together under the instance's lock.</summary>
    private sealed class DailySpend
    {
        public int Day;
        public long Nanodollars;
    }

    private readonly ConcurrentDictionary<string, DailySpend> _spend = new(StringComparer.Ordinal);
    private FrozenDictionary<string, Budget> _budgets = FrozenDictionary<string, Budget>.Empty;
    private readonly Lock _budgetWrites = new();

    public IReadOnlyCollection<Budget> Budgets => Volatile.Read(ref _budgets).Values;

    public Budget? BudgetOf(string subjectId) => Volatile.Read(ref _budgets).GetValueOrDefault(subjectId);

    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    /// <summary>Midnight UTC after <paramref name="time"/>, when a day's budget starts again.</summary>
    public static DateTimeOffset NextReset(DateTimeOffset time) => new(DayOf(time).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public BudgetExhaustion? Exhausted(string accountId, string organizationId, DateTimeOffset now)
    {
        var budgets = Volatile.Read(ref _budgets);
        if (budgets.Count == 0)
        {
            return null;
        }
        var day = DayOf(now).DayNumber;
        return Check(budgets, accountId, day, now) ?? Check(budgets, organizationId, day, now);
    }

    private BudgetExhaustion? Check(FrozenDictionary<string, Budget> budgets, string subjectId, int day, DateTimeOffset now)
    {
        if (!budgets.TryGetValue(subjectId, out var budget))
        {
            return null;
        }
        var spent = SpentOn(subjectId, day);
        return spent >= budget.DailyLimitNanodollars ? new BudgetExhaustion(budget, spent, NextReset(now)) : null;
    }

    /// <summary>What the subject has spent on the UTC day of <paramref name="now"/>.</summary>
    public long SpentToday(string subjectId, DateTimeOffset now) => SpentOn(subjectId, DayOf(now).DayNumber);

    private long SpentOn(string subjectId, int day)
    {
        if (!_spend.TryGetValue(subjectId, out var spend))
        {
            return 0;
        }
        lock (spend)
        {
            return spend.Day == day ? spend.Nanodollars : 0;
        }
    }

    /// <summary>Adds the cost of a request decided on <paramref name="day"/> to the account's and its organisation's spend.</summary>
    public void Add(string accountId, string organizationId, DateOnly day, long nanodollars)
    {
        Add(accountId, day.DayNumber, nanodollars);
        Add(organizationId, day.DayNumber, nanodollars);
    }

    /// <summary>Adds what the store holds for one subject's day, at start.</summary>
    public void Restore(string subjectId, DateOnly day, long nanodollars) => Add(subjectId, day.DayNumber, nanodollars);

    private void Add(string subjectId, int day, long nanodollars)
    {
        var spend = _spend.GetOrAdd(subjectId, static _ => new DailySpend());
        lock (spend)
        {
            if (day > spend.Day)
            {
                spend.Day = day;
                spend.Nanodollars = 0;
            }
            // A request decided yesterday that finishes today belongs to yesterday, which no budget reads any more.
            if (day == spend.Day)
            {
                spend.Nanodollars += nanodollars;
            }
        }
    }

    /// <summary>Replaces every budget, as loaded from the store.</summary>
    public void SetBudgets(IEnumerable<Budget> budgets)
    {
        lock (_budgetWrites)
        {
            Volatile.Write(ref _budgets, budgets.ToFrozenDictionary(b => b.SubjectId, StringComparer.Ordinal));
        }
    }

    /// <summary>Sets (or, with a null <paramref name="budget"/>, removes) one subject's budget after the store has committed it.</summary>
    public void SetBudget(string subjectId, Budget? budget)
    {
        lock (_budgetWrites)
        {
            var all = _budgets.ToDictionary(StringComparer.Ordinal);
            if (budget is null)
            {
                all.Remove(subjectId);
            }
            else
            {
                all[subjectId] = budget;
            }
            Volatile.Write(ref _budgets, all.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }
}
