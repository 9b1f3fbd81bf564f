using System.Collections.Frozen;

namespace Gatehouse.Engine.Configuration;

/// <summary>
/// Where the nodes keep the counters they share: per-key rate limits, today's spend against
/// budgets, and the outside denials that suspend an account. Read at start only. Without it
/// (no <c>redis</c> section) every counter lives in this process, as fits one node.
/// </summary>
/// <param name="Configuration">A StackExchange.Redis configuration string (servers and options), never with the password.</param>
/// <param name="PasswordVariable">The environment variable that holds the password, when the server asks for one.</param>
/// <param name="KeyPrefix">Put before every key, so that two clusters can share one Redis.</param>
/// <param name="Timeout">The longest wait for Redis, connecting or answering, before the gateway counts it unreachable.</param>
public sealed record RedisSettings(string Configuration, string? PasswordVariable, CountersUnavailableAction OnUnavailable, string KeyPrefix, TimeSpan Timeout)
{
    public const string DefaultKeyPrefix = "gatehouse:";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>The servers the configuration string names, as written (<c>host:port</c>): what messages and <c>/readyz</c> show.</summary>
    public IEnumerable<string> Servers => Pieces(Configuration).Where(p => !p.Contains('=', StringComparison.Ordinal));

    /// <summary>Whether the configuration string has a <c>password=</c> option.</summary>
    public static bool HoldsPassword(string configuration) =>
        Pieces(configuration).Any(p => p.Split('=', 2) is [var key, _] && key.Trim().Equals("password", StringComparison.OrdinalIgnoreCase));

    // StackExchange.Redis reads the string this way: comma-separated, servers bare, options as key=value.
    private static string[] Pieces(string configuration) =>
        configuration.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The actions by their names in the file.</summary>
    public static IReadOnlyDictionary<string, CountersUnavailableAction> Actions { get; } = new Dictionary<string, CountersUnavailableAction>(StringComparer.Ordinal)
    {
        ["refuseRestricted"] = CountersUnavailableAction.RefuseRestricted,
        ["refuseAll"] = CountersUnavailableAction.RefuseAll,
        ["countLocally"] = CountersUnavailableAction.CountLocally,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The action's name in the file.</summary>
    public static string NameOf(CountersUnavailableAction action) => Actions.First(a => a.Value == action).Key;
}

/// <summary>What a node serves while Redis, configured, cannot be reached (<c>redis.onUnavailable</c>).</summary>
public enum CountersUnavailableAction
{
    /// <summary>Restricted models are refused with <c>counters.unavailable</c>; open models are served, counted by this node alone.</summary>
    RefuseRestricted,

    /// <summary>Every request is refused with <c>counters.unavailable</c>.</summary>
    RefuseAll,

    /// <summary>Everything is served, counted by this node alone: limits then hold per node, not across them.</summary>
    CountLocally,
}
