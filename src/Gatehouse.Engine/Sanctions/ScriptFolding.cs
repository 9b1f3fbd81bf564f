using System.Globalization;
using System.Text;

namespace Gatehouse.Engine.Sanctions;

/// <summary>
/// Character tables that bring a name written in any of the scripts sanctions lists are
/// screened in down to plain lower-case Latin letters: diacritics removed, Cyrillic and Greek
/// romanised or, where they stand in for Latin letters, replaced by the letter they imitate.
/// </summary>
/// <remarks>
/// Gatehouse runs with invariant globalisation, where <see cref="string.Normalize(System.Text.NormalizationForm)"/>
/// leaves every non-ASCII character as it is. The Latin tables below are therefore the result of
/// Unicode NFKD decomposition with the combining marks dropped, taken from the Unicode character
/// database once (U+00C0–U+024F and U+1E00–U+1EFF), plus the letters that have no decomposition
/// but an accepted ASCII spelling (ß, æ, ø, ł, đ, þ…). Combining marks that arrive already
/// decomposed are dropped through their Unicode category, which invariant mode does know.
/// </remarks>
internal static class ScriptFolding
{
    // One character per code point from U+00C0: the base letter, '*' for a letter spelled with
    // two (see Expand), '.' for a character that is not a letter with an ASCII base.
    private const string Latin1AndExtended =
        "aaaaaa*ceeeeiiiidnooooo.ouuuuy**aaaaaa*ceeeeiiiidnooooo.ouuuuy*yaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkk" +
        "kllllllllllnnnnnn.nnoooooo**rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzsb......................i..l.....oo.............u" +
        "u....zz.............*********aaiioouuuuuuuuuu.aaaa..ggggkkoooo..j***gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh......aa" +
        "eeooooooooyy.......ccl.sz..b........rryy";

    private const int Latin1AndExtendedStart = 0x00C0;

    // U+1E00–U+1EFF, Latin Extended Additional (Vietnamese and the dotted letters of transliteration schemes).
    private const string LatinExtendedAdditional =
        "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuu" +
        "uuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy.s..*.aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuu" +
        "uuyyyyyyyy......";

    private const int LatinExtendedAdditionalStart = 0x1E00;

    public static bool IsCyrillic(char c) => c is >= '\u0400' and <= '\u052F';

    public static bool IsGreek(char c) => c is >= '\u0370' and <= '\u03FF';

    public static bool IsCombiningMark(char c) =>
        c >= '\u0300' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>
    /// Appends the lower-case ASCII spelling of a Latin-script letter or digit (accented, a
    /// ligature, full-width, circled or a mathematical letter) and returns true; false for
    /// anything else, which the caller treats by script.
    /// </summary>
    public static bool TryAppendLatin(StringBuilder output, string text, ref int index)
    {
        var c = text[index];
        if (char.IsAsciiLetterOrDigit(c))
        {
            output.Append(char.ToLowerInvariant(c));
            return true;
        }
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            // Mathematical alphanumerics (𝐁𝐚𝐧𝐤, 𝕭𝖆𝖓𝖐): runs of 52 letters, A–Z then a–z, from
            // U+1D400; the few gaps in those runs are unassigned, so the arithmetic is harmless there.
            var codePoint = char.ConvertToUtf32(c, text[index + 1]);
            if (codePoint is >= 0x1D400 and <= 0x1D6A3)
            {
                output.Append((char)('a' + (codePoint - 0x1D400) % 52 % 26));
                index++;
                return true;
            }
            if (codePoint is >= 0x1D7CE and <= 0x1D7FF)
            {
                output.Append((char)('0' + (codePoint - 0x1D7CE) % 10));
                index++;
                return true;
            }
            return false;
        }
        var folded = c switch
        {
            >= '\u00C0' and <= '\u024F' => Latin1AndExtended[c - Latin1AndExtendedStart],
            >= '\u1E00' and <= '\u1EFF' => LatinExtendedAdditional[c - LatinExtendedAdditionalStart],
            >= '\uFF10' and <= '\uFF19' => (char)('0' + (c - '\uFF10')),
            >= '\uFF21' and <= '\uFF3A' => (char)('a' + (c - '\uFF21')),
            >= '\uFF41' and <= '\uFF5A' => (char)('a' + (c - '\uFF41')),
            >= '\u24B6' and <= '\u24CF' => (char)('a' + (c - '\u24B6')),
            >= '\u24D0' and <= '\u24E9' => (char)('a' + (c - '\u24D0')),
            >= '\uFB00' and <= '\uFB06' => '*',
            _ => '.',
        };
        switch (folded)
        {
            case '.':
                return false;
            case '*':
                output.Append(Expand(c));
                return true;
            default:
                output.Append(folded);
                return true;
        }
    }

    private static string Expand(char c) => c switch
    {
        'Æ' or 'æ' => "ae",
        'Þ' or 'þ' => "th",
        'ß' or 'ẞ' => "ss",
        'Ĳ' or 'ĳ' => "ij",
        'Œ' or 'œ' => "oe",
        'Ǆ' or 'ǅ' or 'ǆ' or 'Ǳ' or 'ǲ' or 'ǳ' => "dz",
        'Ǉ' or 'ǈ' or 'ǉ' => "lj",
        'Ǌ' or 'ǋ' or 'ǌ' => "nj",
        '\uFB00' => "ff",
        '\uFB01' => "fi",
        '\uFB02' => "fl",
        '\uFB03' => "ffi",
        '\uFB04' => "ffl",
        _ => "st", // U+FB05, U+FB06
    };

    /// <summary>
    /// The Latin letter a Cyrillic or Greek letter is drawn like, case kept (upper-case Н looks
    /// like H, lower-case η like n), or '\0'. Used inside words that are otherwise Latin, where
    /// such a letter is a disguise or a keyboard slip, not a spelling.
    /// </summary>
    public static char LookAlike(char c) => c switch
    {
        // Cyrillic
        'А' => 'A', 'а' => 'a', 'В' => 'B', 'в' => 'b', 'Е' or 'Ё' => 'E', 'е' or 'ё' => 'e',
        'К' => 'K', 'к' => 'k', 'М' => 'M', 'м' => 'm', 'Н' => 'H', 'н' => 'h', 'О' => 'O', 'о' => 'o',
        'Р' => 'P', 'р' => 'p', 'С' => 'C', 'с' => 'c', 'Т' => 'T', 'т' => 't', 'У' => 'Y', 'у' => 'y',
        'Х' => 'X', 'х' => 'x', 'І' => 'I', 'і' => 'i', 'Ї' => 'I', 'ї' => 'i', 'Ј' => 'J', 'ј' => 'j',
        'Ѕ' => 'S', 'ѕ' => 's', 'Ԁ' => 'D', 'ԁ' => 'd', 'Һ' => 'H', 'һ' => 'h', 'Ӏ' => 'I', 'ӏ' => 'l',
        'Ԛ' => 'Q', 'ԛ' => 'q', 'Ԝ' => 'W', 'ԝ' => 'w', 'п' => 'n', 'ь' => 'b',
        // Greek
        'Α' => 'A', 'α' => 'a', 'Β' => 'B', 'β' => 'b', 'Ε' => 'E', 'ε' => 'e', 'Ζ' => 'Z', 'Η' => 'H',
        'η' => 'n', 'Ι' => 'I', 'ι' => 'i', 'Κ' => 'K', 'κ' => 'k', 'Μ' => 'M', 'Ν' => 'N', 'ν' => 'v',
        'Ο' => 'O', 'ο' => 'o', 'Ρ' => 'P', 'ρ' => 'p', 'Τ' => 'T', 'τ' => 't', 'Υ' => 'Y', 'υ' => 'u',
        'Χ' => 'X', 'χ' => 'x', 'ς' => 's',
        _ => '\0',
    };

    /// <summary>
    /// The romanisation of one Cyrillic or Greek letter, lower case, or null for a character of
    /// neither script. Russian follows BGN/PCGN without its diacritics and position rules (е is
    /// always e, ё is e, й and ы are y, ъ and ь vanish), with the Ukrainian, Belarusian, Serbian
    /// and Macedonian letters; Greek follows ELOT 743 (η is i, υ is y, χ is ch).
    /// </summary>
    public static string? Romanize(char c) => char.ToLowerInvariant(c) switch
    {
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ё' => "e", 'ж' => "zh",
        'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n", 'о' => "o",
        'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f", 'х' => "kh", 'ц' => "ts",
        'ч' => "ch", 'ш' => "sh", 'щ' => "shch", 'ъ' => "", 'ы' => "y", 'ь' => "", 'э' => "e", 'ю' => "yu",
        'я' => "ya",
        // Ukrainian and Belarusian
        'є' => "ye", 'і' => "i", 'ї' => "yi", 'ґ' => "g", 'ў' => "w",
        // Serbian and Macedonian
        'ђ' => "dj", 'ј' => "j", 'љ' => "lj", 'њ' => "nj", 'ћ' => "c", 'џ' => "dz", 'ѓ' => "gj", 'ќ' => "kj", 'ѕ' => "dz",
        // Kazakh, Kyrgyz, Uzbek and Tajik letters seen in transliterated names
        'ә' => "a", 'ғ' => "g", 'қ' => "q", 'ң' => "n", 'ө' => "o", 'ұ' => "u", 'ү' => "u", 'һ' => "h", 'ҳ' => "h", 'ӣ' => "i", 'ӯ' => "u", 'ҷ' => "j",
        // Greek, accented forms with their base letter
        'α' or 'ά' => "a", 'β' => "v", 'γ' => "g", 'δ' => "d", 'ε' or 'έ' => "e", 'ζ' => "z", 'η' or 'ή' => "i",
        'θ' => "th", 'ι' or 'ί' or 'ϊ' or 'ΐ' => "i", 'κ' => "k", 'λ' => "l", 'μ' => "m", 'ν' => "n", 'ξ' => "x",
        'ο' or 'ό' => "o", 'π' => "p", 'ρ' => "r", 'σ' or 'ς' => "s", 'τ' => "t", 'υ' or 'ύ' or 'ϋ' or 'ΰ' => "y",
        'φ' => "f", 'χ' => "ch", 'ψ' => "ps", 'ω' or 'ώ' => "o",
        _ => null,
    };
}
