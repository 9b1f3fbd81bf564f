using System.Collections.Frozen;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// Words that say what kind of company a party is rather than which one: <c>OOO X</c>,
/// <c>X LLC</c> and <c>X Co., Ltd.</c> are the same party, so these words are not compared.
/// </summary>
/// <remarks>
/// The forms are compared with a name's words as romanised (<see cref="NameNormalizer.Normalize"/>),
/// before variant folding, which would make <c>kk</c> of <c>k</c> and <c>ooo</c> of <c>o</c>. A word
/// of six letters or more also counts when it is one typing mistake away from a form and starts
/// with the same letter (<c>Limietd</c>, <c>Corportion</c>, <c>obschestvo</c>): left in, it would
/// count against the name as a word the listed name lacks. Articles and "and" go with the forms:
/// <c>Smith &amp; Sons</c> and <c>Smith and Sons</c> are one name.
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
        "gmbh", "ag", "kg", "kgaa", "ohg", "ug", "se", "bv", "nv", "ab", "as", "asa", "aps", "oy", "oyj", "ehf", "hf",
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
        ["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"],
        ["aktsionernoe", "obshchestvo"], ["otkrytoe", "aktsionernoe", "obshchestvo"],
        ["zakrytoe", "aktsionernoe", "obshchestvo"], ["publichnoe", "aktsionernoe", "obshchestvo"],
        ["nepublichnoe", "aktsionernoe", "obshchestvo"], ["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"],
        ["aktsionernoe", "obshestvo"], ["obshestvo", "s", "ogranichennoy", "otvetstvennostyu"],
        ["sa", "de", "cv"], ["de", "cv"], ["de", "rl"], ["a", "s"],
    ];

    private static readonly FrozenSet<string> Single = Words.ToFrozenSet(StringComparer.Ordinal);

    private const int MisspeltMinimumLength = 6;

    private static readonly string[] LongForms = [.. Words.Where(w => w.Length >= MisspeltMinimumLength)];

    // Longest first, so that "open joint stock company" wins over "joint stock".
    private static readonly string[][] Multi = [.. Phrases.OrderByDescending(p => p.Length)];

    /// <summary>For each romanised word of a name, whether it belongs to a legal form.</summary>
    public static bool[] Find(List<string> words)
    {
        var legal = new bool[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var phrase = Array.Find(Multi, p => Matches(words, i, p));
            if (phrase is not null)
            {
                legal.AsSpan(i, phrase.Length).Fill(true);
                i += phrase.Length - 1;
            }
            else
            {
                legal[i] = Single.Contains(words[i]) || Array.Exists(LongForms, form => IsMisspelt(words[i], form));
            }
        }
        return legal;
    }

    private static bool Matches(List<string> words, int start, string[] phrase)
    {
        if (start + phrase.Length > words.Count)
        {
            return false;
        }
        for (var j = 0; j < phrase.Length; j++)
        {
            if (!string.Equals(words[start + j], phrase[j], StringComparison.Ordinal) && !IsMisspelt(words[start + j], phrase[j]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A long form written with one letter wrong, missing, extra or swapped with the next, but the first.</summary>
    private static bool IsMisspelt(string word, string form)
    {
        if (form.Length < MisspeltMinimumLength || Math.Abs(word.Length - form.Length) > 1 || word[0] != form[0])
        {
            return false;
        }
        var i = 0;
        while (i < word.Length && i < form.Length && word[i] == form[i])
        {
            i++;
        }
        if (word.Length == form.Length)
        {
            return word.AsSpan(i + 1).SequenceEqual(form.AsSpan(i + 1)) ||
                (i + 1 < word.Length && word[i] == form[i + 1] && word[i + 1] == form[i] && word.AsSpan(i + 2).SequenceEqual(form.AsSpan(i + 2)));
        }
        var (longer, shorter) = word.Length > form.Length ? (word, form) : (form, word);
        return longer.AsSpan(i + 1).SequenceEqual(shorter.AsSpan(i));
    }
}
