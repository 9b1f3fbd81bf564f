using System.Collections.Frozen;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// Whether a string equals one of a list of values or, where wildcards count, matches one of a
/// list of patterns: actions, resources, and the values of the string condition operators. The
/// values without wildcards go into one frozen set, so a list of fifty countries costs one
/// lookup; only real patterns are matched one by one. Nothing allocates.
/// </summary>
internal sealed class StringMatcher
{
    private readonly bool _matchesEverything;
    private readonly FrozenSet<string> _exact;
    private readonly GlobPattern[] _patterns;

    private StringMatcher(bool matchesEverything, FrozenSet<string> exact, GlobPattern[] patterns)
    {
        _matchesEverything = matchesEverything;
        _exact = exact;
        _patterns = patterns;
    }

    /// <param name="wildcards">Whether <c>*</c> and <c>?</c> are wildcards; if not, they are ordinary characters.</param>
    public static StringMatcher Create(IEnumerable<string> values, bool ignoreCase, bool wildcards)
    {
        var comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var exact = new List<string>();
        var patterns = new List<GlobPattern>();
        var everything = false;
        foreach (var value in values)
        {
            if (!wildcards || !GlobPattern.HasWildcards(value))
            {
                exact.Add(value);
            }
            else if (GlobPattern.MatchesEverything(value))
            {
                everything = true;
            }
            else
            {
                patterns.Add(new GlobPattern(value, ignoreCase));
            }
        }
        return new StringMatcher(everything, exact.ToFrozenSet(comparer), [.. patterns]);
    }

    public bool IsMatch(string text)
    {
        if (_matchesEverything || _exact.Contains(text))
        {
            return true;
        }
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(text))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// A pattern where <c>*</c> stands for any run of characters (none included, <c>/</c> included)
/// and <c>?</c> for exactly one, as in IAM's actions, resources and <c>StringLike</c>. A pattern
/// that is a literal followed by one <c>*</c> (<c>model/mythos-*</c>, the common kind) is a prefix test.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;
    private readonly StringComparison _comparison;
    private readonly bool _ignoreCase;
    private readonly string? _prefix;

    public GlobPattern(string pattern, bool ignoreCase)
    {
        _pattern = pattern;
        _ignoreCase = ignoreCase;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (pattern.Length > 0 && pattern[^1] == '*' && !HasWildcards(pattern.AsSpan(0, pattern.Length - 1)))
        {
            _prefix = pattern[..^1];
        }
    }

    public static bool HasWildcards(ReadOnlySpan<char> text) => text.IndexOfAny('*', '?') >= 0;

    /// <summary>True for <c>*</c>, <c>**</c>, …: patterns every string matches.</summary>
    public static bool MatchesEverything(string pattern) => pattern.Length > 0 && !pattern.AsSpan().ContainsAnyExcept('*');

    public bool IsMatch(string text) =>
        _prefix is not null ? text.StartsWith(_prefix, _comparison) : Matches(_pattern, text);

    /// <summary>
    /// The classic linear scan with one backtrack point: on a mismatch, the last <c>*</c> takes one
    /// more character. Worst case pattern length × text length; policy patterns are short.
    /// </summary>
    private bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starText = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || SameChar(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>Case folding as <see cref="StringComparison.OrdinalIgnoreCase"/> does it, so patterns and exact values agree.</summary>
    private bool SameChar(char a, char b) => a == b || (_ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    public override string ToString() => _pattern;
}
