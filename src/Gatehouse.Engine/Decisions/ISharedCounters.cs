using Gatehouse.Engine.Configuration;

namespace Gatehouse.Engine.Decisions;

/// <summary>Where rate limits, budgets and suspension counts are kept at this instant.</summary>
public enum CounterSharing
{
    /// <summary>In this process, as configured: no <c>redis</c> section, one node.</summary>
    Local,

    /// <summary>In Redis, together with every other node.</summary>
    Shared,

    /// <summary>Redis is configured but cannot be reached: this node counts alone, for what <see cref="CountersUnavailableAction"/> still serves.</summary>
    Unreachable,
}

/// <summary>Where the decision pipeline learns whether the counters the nodes share can be kept.</summary>
public interface ISharedCounters
{
    /// <summary>Asked for every request: a field read, no I/O.</summary>
    CounterSharing Sharing { get; }

    CountersUnavailableAction OnUnavailable { get; }
}
