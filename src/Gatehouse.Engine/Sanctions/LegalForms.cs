using System.Collections.Frozen;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// Words that say what kind of company a party is rather than which one: <c>OOO X</c>,
/// <c>X LLC</c> and <c>X Co., Ltd.</c> are the same party, so these words are not compared.
/// </summary>
/// <remarks>
/// The forms are written here as lists and customers write them, and compared after the same
/// folding as names (<see cref="NameNormalizer.Fold"/>), so that a transliteration variant of a
/// spelled-out form (<c>obschestvo</c> for <c>obshchestvo</c>) is still recognised. Articles and
/// "and" go with them: <c>Smith &amp; Sons</c> and <c>Smith and Sons</c> are one name.
/// </remarks>
internal static class LegalForms
{
    private static readonly string[] Words =
    [
        // English-speaking and international
        "llc", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company", "plc", "llp", "lp", "pllc",
        "pte", "pty", "pvt", "fze", "fzco", "fzc", "fzllc", "dmcc", "jsc", "ojsc", "cjsc", "pjsc", "the", "and",
        // Russian, Ukrainian and neighbours (romanised from ООО, ЗАО, ОАО, ПАО, АО, ТОВ, ТОО…)
        "ooo", "zao", "oao", "pao", "ao", "tov", "too", "chp",
        // German, Dutch, Nordic
        "gmbh", "ag", "kg", "ohg", "ug", "bv", "nv", "ab", "as", "asa", "aps", "oy", "oyj", "ehf", "hf",
        // Romance languages and Latin America
        "sa", "sas", "sasu", "sarl", "srl", "spa", "sl", "sau", "sac", "saa", "lda", "ltda", "eirl", "cia", "sapi", "cv",
        // Central and Eastern Europe, Turkey
        "sro", "kft", "zrt", "nyrt", "doo", "dd", "ad", "ead", "ood", "eood", "spzoo",
        // Asia
        "sdn", "bhd", "tbk", "pt", "kk",
    ];

    private static readonly string[][] Phrases =
    [
        ["limited", "liability", "company"], ["limited", "liability", "partnership"], ["joint", "stock", "company"],
        ["open", "joint", "stock", "company"], ["closed", "joint", "stock", "company"], ["public", "joint", "stock", "company"],
        ["private", "joint", "stock", "company"], ["joint", "stock"], ["public", "limited", "company"],
        ["private", "limited", "company"], ["societe", "anonyme"], ["sociedad", "anonima"], ["sociedad", "limitada"],
        ["s", "de", "rl"], ["sp", "z", "oo"], ["gesellschaft", "mit", "beschrankter", "haftung"], ["aktiengesellschaft"],
        ["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"], ["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"],
        ["aktsionernoe", "obshchestvo"], ["aktsionernoye", "obshchestvo"], ["otkrytoe", "aktsionernoe", "obshchestvo"],
        ["zakrytoe", "aktsionernoe", "obshchestvo"], ["publichnoe", "aktsionernoe", "obshchestvo"],
        ["nepublichnoe", "aktsionernoe", "obshchestvo"], ["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"],
        ["sa", "de", "cv"], ["de", "cv"], ["de", "rl"],
    ];

    private static readonly FrozenSet<string> Single = Words.Select(NameNormalizer.Fold).ToFrozenSet(StringComparer.Ordinal);

    // Longest first, so that "open joint stock company" wins over "joint stock".
    private static readonly string[][] Multi = [.. Phrases.Select(p => p.Select(NameNormalizer.Fold).ToArray()).OrderByDescending(p => p.Length)];

    /// <summary>For each folded word of a name, whether it belongs to a legal form.</summary>
    public static bool[] Find(List<string> keys)
    {
        var legal = new bool[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var phrase = Array.Find(Multi, p => Matches(keys, i, p));
            if (phrase is not null)
            {
                legal.AsSpan(i, phrase.Length).Fill(true);
                i += phrase.Length - 1;
            }
            else
            {
                legal[i] = Single.Contains(keys[i]) || IsMisspeltLongForm(keys[i]);
            }
        }
        return legal;
    }

    /// <summary>
    /// A long form with a typing mistake (<c>Limietd</c>, <c>Corportion</c>) is still a legal form:
    /// left in, it would count against the name as a word the listed name lacks.
    /// </summary>
    private static bool IsMisspeltLongForm(string key)
    {
        if (key.Length < MisspeltMinimumLength)
        {
            return false;
        }
        foreach (var form in LongForms)
        {
            if (NameScorer.LengthsComparable(key.Length, form.Length) && JaroWinkler.Similarity(key, form) >= MisspeltSimilarity)
            {
                return true;
            }
        }
        return false;
    }

    private const int MisspeltMinimumLength = 6;
    private const double MisspeltSimilarity = 0.93;

    private static readonly string[] LongForms = [.. Single.Where(f => f.Length >= MisspeltMinimumLength + 1)];

    private static bool Matches(List<string> keys, int start, string[] phrase)
    {
        if (start + phrase.Length > keys.Count)
        {
            return false;
        }
        for (var j = 0; j < phrase.Length; j++)
        {
            if (!string.Equals(keys[start + j], phrase[j], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
