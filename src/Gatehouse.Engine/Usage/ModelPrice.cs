namespace Gatehouse.Engine.Usage;

/// <summary>What a model costs, in US dollars per million tokens, as the configuration says.</summary>
public sealed record ModelPrice(decimal Input, decimal Output)
{
    /// <summary>The highest price per million tokens a configuration may name: far above any model's, low enough that a day's cost cannot overflow.</summary>
    public const decimal Maximum = 100_000m;

    /// <summary>What <paramref name="usage"/> costs, in nanodollars, rounded to the nearest.</summary>
    public long CostOf(TokenUsage usage) =>
        // Per million tokens in dollars is per token in microdollars: a thousand nanodollars.
        (long)Math.Round((usage.InputTokens * Input + usage.OutputTokens * Output) * 1000m, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Money as whole nanodollars (10⁻⁹ USD): exact sums in 64-bit integers, in memory and in the
/// store, up to about nine billion dollars.
/// </summary>
public static class Nanodollars
{
    private const decimal PerDollar = 1_000_000_000m;

    public static decimal ToDollars(long nanodollars) => nanodollars / PerDollar;

    /// <summary>Dollars as nanodollars, rounded to the nearest.</summary>
    public static long FromDollars(decimal dollars) => (long)Math.Round(dollars * PerDollar, MidpointRounding.AwayFromZero);

    /// <summary>For people: <c>$12.35</c>, with more places only when a cent would hide the amount (<c>$0.000045</c>).</summary>
    public static string Format(long nanodollars) => FormatDollars(ToDollars(nanodollars));

    /// <inheritdoc cref="Format(long)"/>
    public static string FormatDollars(decimal dollars) => dollars == 0 || Math.Abs(dollars) >= 0.01m
        ? $"${dollars:#,0.00}"
        : $"${dollars:0.#########}";
}
