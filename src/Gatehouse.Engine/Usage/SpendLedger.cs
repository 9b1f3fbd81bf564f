using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Gatehouse.Engine.Usage;

/// <summary>
/// Today's spend of every account and organisation, and their budgets, in memory: added to as
/// each response's usage is recorded, and asked by the budget stage for every request. A
/// subject's spend is what every node together was last known to have spent (from the store at
/// start, and from the shared counters when the nodes share them) plus what this node has added
/// since, which waits here until it is pushed. Spend counts for the UTC day it was decided on; a
/// new day starts each counter again from nothing.
/// </summary>
/// <param name="shared">Whether another component pushes this node's additions to counters the nodes share (<see cref="Unpushed"/>).</param>
public sealed class SpendLedger(bool shared = false) : ISpendLimits
{
    /// <summary>One subject's spend on one day; the fields change together under the instance's lock.</summary>
    private sealed class DailySpend
    {
        public int Day;

        /// <summary>What every node together had spent, as last known; a floor that only rises within the day.</summary>
        public long Known;

        /// <summary>What this node added that <see cref="Known"/> does not hold yet.</summary>
        public long Added;
    }

    private readonly ConcurrentDictionary<string, DailySpend> _spend = new(StringComparer.Ordinal);

    /// <summary>Subjects with additions not yet pushed; kept only when the spend is shared, so that pushing walks those alone.</summary>
    private readonly ConcurrentDictionary<string, byte>? _unpushed = shared ? new(StringComparer.Ordinal) : null;
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
            return spend.Day == day ? spend.Known + spend.Added : 0;
        }
    }

    /// <summary>Adds the cost of a request decided on <paramref name="day"/> to the account's and its organisation's spend.</summary>
    public void Add(string accountId, string organizationId, DateOnly day, long nanodollars)
    {
        Add(accountId, day.DayNumber, nanodollars);
        Add(organizationId, day.DayNumber, nanodollars);
    }

    private void Add(string subjectId, int day, long nanodollars)
    {
        var spend = _spend.GetOrAdd(subjectId, static _ => new DailySpend());
        lock (spend)
        {
            StartDay(spend, day);
            // A request decided yesterday that finishes today belongs to yesterday, which no budget reads any more.
            if (day == spend.Day)
            {
                spend.Added += nanodollars;
                _unpushed?.TryAdd(subjectId, 0);
            }
        }
    }

    /// <summary>
    /// Takes a total every node together had spent on <paramref name="day"/>: what the store held
    /// at start, or what the shared counters answered. Known totals only rise within a day, so an
    /// older or smaller answer changes nothing, and nothing is counted twice.
    /// </summary>
    public void Observe(string subjectId, DateOnly day, long total)
    {
        var spend = _spend.GetOrAdd(subjectId, static _ => new DailySpend());
        lock (spend)
        {
            StartDay(spend, day.DayNumber);
            if (day.DayNumber == spend.Day)
            {
                spend.Known = Math.Max(spend.Known, total);
            }
        }
    }

    private static void StartDay(DailySpend spend, int day)
    {
        if (day > spend.Day)
        {
            spend.Day = day;
            spend.Known = 0;
            spend.Added = 0;
        }
    }

    /// <summary>This node's additions that the shared counters do not hold yet, with what was known of each subject's total.</summary>
    public IReadOnlyList<SpendAddition> Unpushed()
    {
        var additions = new List<SpendAddition>();
        foreach (var subjectId in _unpushed?.Keys ?? [])
        {
            var spend = _spend[subjectId];
            lock (spend)
            {
                if (spend.Added > 0)
                {
                    additions.Add(new SpendAddition(subjectId, DateOnly.FromDayNumber(spend.Day), spend.Known, spend.Added));
                }
                else
                {
                    _unpushed!.TryRemove(subjectId, out _);
                }
            }
        }
        return additions;
    }

    /// <summary>
    /// The shared counters now hold <paramref name="addition"/> and answered <paramref name="total"/>
    /// for the subject's day: the addition moves from this node's own into the known total, at once,
    /// so that no check sees it twice or not at all.
    /// </summary>
    public void Pushed(SpendAddition addition, long total)
    {
        var spend = _spend[addition.SubjectId];
        lock (spend)
        {
            if (spend.Day != addition.Day.DayNumber)
            {
                return;
            }
            spend.Added -= addition.Nanodollars;
            spend.Known = Math.Max(spend.Known, total);
            if (spend.Added == 0)
            {
                _unpushed!.TryRemove(addition.SubjectId, out _);
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

/// <param name="Known">What every node together had spent on <paramref name="Day"/>, as this node last knew it.</param>
/// <param name="Nanodollars">What this node added since.</param>
public readonly record struct SpendAddition(string SubjectId, DateOnly Day, long Known, long Nanodollars);
