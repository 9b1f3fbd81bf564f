using System.Collections.Frozen;

namespace Gatehouse.Engine.Identity;

/// <summary>
/// The lower-case names the API, the CLI, the store and traces use for statuses and actions
/// (<c>active</c>, <c>suspended</c>, <c>verified</c>, <c>clear</c>…), computed once per type.
/// </summary>
public static class EnumNames<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> ByValue =
        Enum.GetValues<T>().ToFrozenDictionary(v => v, v => v.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<string, T> ByName =
        ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => ByValue.Values;

    public static string Of(T value) => ByValue[value];

    public static bool TryParse(string? name, out T value) => ByName.TryGetValue(name ?? "", out value);
}
