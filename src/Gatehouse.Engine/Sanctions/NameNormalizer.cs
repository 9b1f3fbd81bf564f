using System.Collections.Frozen;
using System.Text;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// Brings a party's name, as a customer types it or a list publishes it, to the form names are
/// compared in. List names and queries go through the same steps, so two spellings of one name
/// meet in the middle rather than one side having to guess the other's conventions.
/// </summary>
/// <remarks>
/// <para>The steps, in order:</para>
/// <list type="number">
/// <item>Words are split at white space and punctuation. Apostrophes join (<c>Qa'ida</c> is
/// <c>qaida</c>, <c>O'Brien</c> is <c>obrien</c>); dotted abbreviations of single letters collapse
/// (<c>S.A.</c> is <c>sa</c>, <c>L.L.C.</c> is <c>llc</c>); any other dot separates.</item>
/// <item>Latin letters lose their diacritics and compatibility forms (NFKD without combining marks:
/// <c>Nicolás</c> is <c>nicolas</c>, <c>ß</c> is <c>ss</c>, full-width and mathematical letters are
/// plain letters), and everything is lower-cased.</item>
/// <item>A Cyrillic or Greek letter inside an otherwise Latin word, or a word made only of such
/// letters in a name that has Latin words, is read as the Latin letter it looks like
/// (<c>Rоsnеft</c> with Cyrillic о and е is <c>rosneft</c>). A word written in Cyrillic or Greek is
/// romanised (<c>Хорошев</c> is <c>khoroshev</c>).</item>
/// <item>Legal forms (<c>LLC</c>, <c>OOO</c>, <c>Co., Ltd.</c>, <c>S.A. de C.V.</c>,
/// <c>Joint Stock Company</c>…) are dropped, unless they are all the name has.</item>
/// </list>
/// <para>That is <see cref="Normalize"/>. For comparison each word is then folded further
/// (<see cref="Fold"/>): spellings that transliteration schemes disagree on are made one
/// (<c>kh</c>→<c>h</c>, <c>ph</c>→<c>f</c>, <c>y</c>→<c>i</c>, <c>x</c>→<c>ks</c>, doubled letters once…),
/// so that Khoroshev and Horoshev, Sergey and Sergei, Aleksandr and Alexander land close together,
/// and Jaro-Winkler measures what is left. Word order is not kept for meaning: the scorer pairs
/// words regardless of position, so <c>DOE, John</c> and <c>John Doe</c> are the same name.</para>
/// </remarks>
internal static class NameNormalizer
{
    /// <summary>
    /// The name's words as compared, before variant folding: lower-case ASCII where the script
    /// allows, single spaces, legal forms removed, in the order written.
    /// </summary>
    public static string Normalize(string name) => string.Join(' ', Analyze(name).Words);

    /// <summary>The words (<see cref="Normalize"/>) and, position for position, their folded comparison keys.</summary>
    internal static NormalizedName Analyze(string name)
    {
        var words = Romanize(Split(name));
        var keys = words.ConvertAll(Fold);
        var legal = LegalForms.Find(words);
        if (Array.IndexOf(legal, false) < 0)
        {
            // A name that is nothing but legal forms ("Company Limited") is still a name.
            return new NormalizedName([.. words], [.. keys]);
        }
        var keptWords = new List<string>(words.Count);
        var keptKeys = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            if (!legal[i])
            {
                keptWords.Add(words[i]);
                keptKeys.Add(keys[i]);
            }
        }
        return new NormalizedName([.. keptWords], [.. keptKeys]);
    }

    /// <summary>
    /// Folds the spellings that romanisation schemes and languages disagree on into one, for
    /// comparison only (the result is not meant to be read): <c>sch</c>→<c>sh</c>, <c>tch</c>→<c>ch</c>,
    /// <c>dzh</c> and <c>dj</c>→<c>j</c>, <c>kh</c>→<c>h</c>, <c>gh</c>→<c>g</c>, <c>ph</c>→<c>f</c>,
    /// <c>th</c>→<c>t</c>, <c>dh</c>→<c>d</c>, <c>ck</c> and <c>q</c>→<c>k</c>, <c>x</c>→<c>ks</c>, <c>w</c>→<c>v</c>,
    /// <c>y</c>→<c>i</c>, <c>ou</c> and <c>oo</c>→<c>u</c>, <c>ee</c>→<c>i</c>, <c>ue</c>→<c>u</c>,
    /// <c>oe</c>→<c>o</c>; then a doubled letter is written once and a final <c>h</c> after a vowel
    /// dropped (<c>Abdullah</c>/<c>Abdulla</c>). A handful of very common given names whose spellings
    /// differ in their vowels (Muhammad/Mohamed, Husain/Hossein, Yusuf/Jusuf, Abdul/Abdel…) get one
    /// spelling. A word that is not plain ASCII (another script) is returned as it is.
    /// </summary>
    internal static string Fold(string word)
    {
        if (!Ascii.IsValid(word))
        {
            return word;
        }
        Span<char> buffer = word.Length <= 64 ? stackalloc char[word.Length * 2] : new char[word.Length * 2];
        var length = 0;
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            var afterNext = i + 2 < word.Length ? word[i + 2] : '\0';
            switch (c)
            {
                case 's' or 't' when next == 'c' && afterNext == 'h':
                    Push(buffer, ref length, c == 's' ? 's' : 'c');
                    Push(buffer, ref length, 'h');
                    i += 2;
                    break;
                case 'd' when next == 'z' && afterNext == 'h':
                    Push(buffer, ref length, 'j');
                    i += 2;
                    break;
                case 'd' when next == 'j':
                    Push(buffer, ref length, 'j');
                    i++;
                    break;
                case 'k' or 'g' or 't' or 'd' or 'p' when next == 'h':
                    Push(buffer, ref length, c switch { 'k' => 'h', 'p' => 'f', _ => c });
                    i++;
                    break;
                case 'c' when next == 'k':
                    Push(buffer, ref length, 'k');
                    i++;
                    break;
                case 'o' when next is 'u' or 'o':
                case 'u' when next == 'e':
                    Push(buffer, ref length, 'u');
                    i++;
                    break;
                case 'o' when next == 'e':
                    Push(buffer, ref length, 'o');
                    i++;
                    break;
                case 'e' when next == 'e':
                    Push(buffer, ref length, 'i');
                    i++;
                    break;
                case 'x':
                    Push(buffer, ref length, 'k');
                    Push(buffer, ref length, 's');
                    break;
                default:
                    Push(buffer, ref length, c switch { 'q' => 'k', 'w' => 'v', 'y' => 'i', _ => c });
                    break;
            }
        }
        if (length > 2 && buffer[length - 1] == 'h' && buffer[length - 2] is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            length--;
        }
        var result = buffer[..length];
        return CommonNames.TryGetValue(result, out var canonical) ? canonical : new string(result);
    }

    /// <summary>Appends a letter unless it repeats the one before: doubled letters are written once.</summary>
    private static void Push(Span<char> buffer, ref int length, char c)
    {
        if (length == 0 || buffer[length - 1] != c)
        {
            buffer[length++] = c;
        }
    }

    /// <summary>Given names so common on the lists that their spellings are worth settling by hand; keys are folded.</summary>
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CommonNames = new Dictionary<string, string>
    {
        ["mohamad"] = "muhamad", ["mohamed"] = "muhamad", ["muhamed"] = "muhamad", ["mohd"] = "muhamad", ["muhd"] = "muhamad",
        ["mohamat"] = "muhamad", ["mahamad"] = "muhamad",
        ["ahmed"] = "ahmad", ["ahmet"] = "ahmad",
        ["husein"] = "husain", ["hosein"] = "husain", ["hosain"] = "husain", ["husin"] = "husain", ["husien"] = "husain",
        ["iusef"] = "iusuf", ["jusuf"] = "iusuf", ["iosuf"] = "iusuf",
        ["abdul"] = "abd", ["abdel"] = "abd", ["abdal"] = "abd", ["abdol"] = "abd",
        ["osama"] = "usama",
    }.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The raw words: split at white space and punctuation, apostrophes removed, dotted
    /// single-letter abbreviations joined.
    /// </summary>
    private static List<string> Split(string name)
    {
        var words = new List<string>();
        var chunk = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '\'' or '\u2018' or '\u2019' or '\u02BC' or '\u02BB' or '`' or '\u00B4')
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < name.Length)
            {
                if (char.IsLetterOrDigit(name, i))
                {
                    chunk.Append(c).Append(name[i + 1]);
                }
                else
                {
                    AddChunk(chunk, words);
                }
                i++;
                continue;
            }
            if (c == '.' || char.IsLetterOrDigit(c) || ScriptFolding.IsCombiningMark(c))
            {
                chunk.Append(c);
            }
            else
            {
                AddChunk(chunk, words);
            }
        }
        AddChunk(chunk, words);
        return words;
    }

    private static void AddChunk(StringBuilder chunk, List<string> words)
    {
        if (chunk.Length == 0)
        {
            return;
        }
        var parts = chunk.ToString().Split('.', StringSplitOptions.RemoveEmptyEntries);
        chunk.Clear();
        if (parts.Length > 1 && Array.TrueForAll(parts, p => p.Length == 1))
        {
            words.Add(string.Concat(parts));
        }
        else
        {
            words.AddRange(parts);
        }
    }

    /// <summary>
    /// Longer words are cut to this many letters: no name has such words, and the bound keeps the
    /// work one hostile query word can cause, and the letter-pair counts of the index, small.
    /// </summary>
    internal const int MaxWordLength = 64;

    /// <summary>Each word in lower-case ASCII where its script allows (see the remarks on the class).</summary>
    private static List<string> Romanize(List<string> rawWords)
    {
        var nameHasLatin = rawWords.Exists(w => Scripts(w).Latin > 0);
        var words = new List<string>(rawWords.Count);
        var output = new StringBuilder();
        foreach (var raw in rawWords)
        {
            var (latin, other, allLookAlike) = Scripts(raw);
            var readAsLatin = other > 0 && (latin > 0 || (nameHasLatin && allLookAlike));
            for (var i = 0; i < raw.Length; i++)
            {
                var c = raw[i];
                if (ScriptFolding.TryAppendLatin(output, raw, ref i))
                {
                    continue;
                }
                if (ScriptFolding.IsCyrillic(c) || ScriptFolding.IsGreek(c))
                {
                    if (readAsLatin && ScriptFolding.LookAlike(c) is var lookAlike and not '\0')
                    {
                        output.Append(char.ToLowerInvariant(lookAlike));
                    }
                    else
                    {
                        output.Append(ScriptFolding.Romanize(c));
                    }
                }
                else if (!ScriptFolding.IsCombiningMark(c))
                {
                    // Another script (Arabic, Chinese…): kept, lower-cased where it has case.
                    output.Append(char.ToLowerInvariant(c));
                }
            }
            if (output.Length > 0)
            {
                words.Add(output.ToString(0, Math.Min(output.Length, MaxWordLength)));
                output.Clear();
            }
        }
        return words;
    }

    /// <summary>How many of a raw word's characters are Latin letters or digits, how many Cyrillic or Greek, and whether each of the latter looks like a Latin letter.</summary>
    private static (int Latin, int Other, bool AllLookAlike) Scripts(string raw)
    {
        int latin = 0, other = 0;
        var allLookAlike = true;
        foreach (var c in raw)
        {
            if (ScriptFolding.IsCyrillic(c) || ScriptFolding.IsGreek(c))
            {
                other++;
                allLookAlike &= ScriptFolding.LookAlike(c) != '\0';
            }
            else if (char.IsAsciiLetter(c) || (c is >= '\u00C0' and <= '\u024F') || (c is >= '\u1E00' and <= '\u1EFF'))
            {
                latin++;
            }
        }
        return (latin, other, allLookAlike);
    }
}

/// <summary>A name's words after <see cref="NameNormalizer.Normalize"/> and their folded comparison keys, position for position.</summary>
internal sealed record NormalizedName(string[] Words, string[] Tokens);
