using System.Text;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

/// <summary>
/// A labelled set for name screening, made from the real lists: queries derived from listed
/// entries the way customers and evaders write them (each labelled with the entry it must find),
/// and names of real companies and ordinary people that are not on the lists. Entries are drawn
/// with a fixed seed, so every run measures the same set.
/// </summary>
internal static class ScreeningLabels
{
    public const int Seed = 20240503;

    /// <param name="Expected">The key of the entry the query stands for; null for a name that must not match.</param>
    /// <param name="Kind">How the query was made from the entry's name, for the per-kind figures.</param>
    public sealed record Labelled(string Query, string? Expected, string Kind);

    /// <summary>Queries derived from <paramref name="entries"/> (individuals and entities of one list).</summary>
    public static List<Labelled> Positives(IReadOnlyList<SanctionsEntry> entries)
    {
        var random = new Random(Seed);
        var people = entries.Where(e => e.Type == SanctionsEntryType.Individual && IsPlain(e.Name)).ToList();
        var companies = entries.Where(e => e.Type == SanctionsEntryType.Entity && IsPlain(e.Name)).ToList();
        var both = people.Concat(companies).ToList();
        var labelled = new List<Labelled>();

        void Add(string kind, List<SanctionsEntry> pool, int count, Func<SanctionsEntry, string?> derive)
        {
            var added = 0;
            foreach (var entry in Shuffled(pool, random))
            {
                if (added == count)
                {
                    break;
                }
                if (derive(entry) is { } query && !labelled.Exists(l => l.Query == query))
                {
                    labelled.Add(new Labelled(query, entry.Key, kind));
                    added++;
                }
            }
        }

        Add("exact", both, 25, e => e.Name);
        Add("alias", both.Where(e => e.Aliases.Any(IsPlain)).ToList(), 25, e => e.Aliases.Where(IsPlain).ElementAt(random.Next(e.Aliases.Count(IsPlain))));
        Add("first last", people.Where(e => e.Name.Contains(',')).ToList(), 25, e => FirstLast(e.Name));
        Add("middle name left out", people.Where(e => e.Name.Contains(',') && Words(e.Name).Length >= 3).ToList(), 20, e => WithoutMiddleName(e.Name));
        Add("transliteration", both, 25, e => Transliterated(e.Name, random));
        Add("look-alike letters", both, 20, e => LookAlikes(e.Name, random));
        Add("typo: substitution", both, 20, e => Typo(e.Name, random, TypoKind.Substitution));
        Add("typo: transposition", both, 20, e => Typo(e.Name, random, TypoKind.Transposition));
        Add("typo: deletion", both, 20, e => Typo(e.Name, random, TypoKind.Deletion));
        Add("legal form", companies, 20, e => OtherLegalForm(e.Name, random));
        Add("diacritics", both, 20, e => Accented(e.Name, random));
        Add("cyrillic", people.Where(e => LooksRussian(e.Name)).ToList(), 20, e => Cyrillic(e.Name));
        return labelled;
    }

    /// <summary>
    /// Real companies and ordinary personal names that are not on the lists (the accuracy test
    /// checks that no listed name has all of a negative's words), and generic business phrases.
    /// </summary>
    public static IReadOnlyList<string> Negatives { get; } =
    [
        // Companies
        "Siemens AG", "Toyota Motor Corporation", "Deutsche Telekom AG", "Nestlé S.A.", "Unilever PLC", "Volkswagen AG",
        "Bayerische Motoren Werke AG", "Robert Bosch GmbH", "BASF SE", "Bayer AG", "Allianz SE", "SAP SE", "Adidas AG",
        "Henkel AG & Co. KGaA", "Continental AG", "Deutsche Lufthansa AG", "Airbus SE", "Renault S.A.", "Michelin",
        "L'Oréal S.A.", "Danone S.A.", "Carrefour S.A.", "Schneider Electric SE", "Koninklijke Philips N.V.",
        "Heineken N.V.", "ASML Holding N.V.", "Vodafone Group Plc", "Tesco PLC", "Barclays PLC", "AstraZeneca PLC",
        "Diageo plc", "Nokia Oyj", "Telefonaktiebolaget LM Ericsson", "Volvo Car Corporation", "Hennes & Mauritz AB",
        "Novartis AG", "Roche Holding AG", "Zurich Insurance Group", "Sony Group Corporation", "Panasonic Holdings Corporation",
        "Honda Motor Co., Ltd.", "Nissan Motor Co., Ltd.", "Canon Inc.", "Nintendo Co., Ltd.", "Samsung Electronics Co., Ltd.",
        "LG Electronics Inc.", "Hyundai Motor Company", "Apple Inc.", "Microsoft Corporation", "Alphabet Inc.",
        "Amazon.com, Inc.", "Meta Platforms, Inc.", "Walmart Inc.", "Johnson & Johnson", "Procter & Gamble Company",
        "The Coca-Cola Company", "PepsiCo, Inc.", "General Electric Company", "Ford Motor Company", "The Boeing Company",
        "Intel Corporation", "Cisco Systems, Inc.", "Oracle Corporation", "Pfizer Inc.", "Caterpillar Inc.", "Nike, Inc.",
        "Starbucks Corporation", "Visa Inc.", "Mastercard Incorporated", "Goldman Sachs Group", "Morgan Stanley",
        "Berkshire Hathaway Inc.", "Netflix, Inc.", "Adobe Inc.", "Salesforce, Inc.", "Qualcomm Incorporated",
        "Texas Instruments Incorporated", "Honeywell International Inc.", "Deere & Company", "FedEx Corporation",
        "Delta Air Lines, Inc.", "Marriott International", "Shopify Inc.", "Royal Bank of Canada", "BHP Group Limited",
        "Woolworths Group Limited", "Qantas Airways Limited", "Infosys Limited", "Wipro Limited", "Embraer S.A.",
        "Banco Santander, S.A.", "Industria de Diseño Textil, S.A.", "Iberdrola, S.A.", "Ferrari N.V.", "Pirelli & C. S.p.A.",
        "Spotify Technology S.A.", "Atlassian Corporation", "Heidelberg Materials AG", "Carlsberg A/S", "Novo Nordisk A/S",
        // People
        "Maria Schmidt", "Emily Johnson", "Michael Brown", "Sarah Miller", "David Wilson", "Laura Martinez", "James Anderson",
        "Anna Kowalska", "Piotr Nowak", "Hans Müller", "Sophie Dubois", "Pierre Lefebvre", "Giulia Rossi", "Marco Bianchi",
        "Carmen García López", "José Fernández Ruiz", "Ana Pereira", "Lars Andersson", "Ingrid Johansson", "Mette Nielsen",
        "Jan de Vries", "Emma Jansen", "Olivia Taylor", "Liam O'Connor", "Siobhan Murphy", "Yuki Tanaka", "Hiroshi Sato",
        "Priya Sharma", "Rahul Gupta", "Chiara Esposito", "Katarzyna Wiśniewska", "Eva Novotná", "Tomás Horváth",
        "Fiona MacDonald", "Heather Clarke", "Benjamin Fischer", "Charlotte Weber", "Lukas Wagner", "Camille Bernard",
        // Generic business phrases
        "International Trading Company", "Global Logistics Services", "United Consulting Group", "Green Energy Solutions Ltd",
        "Northern Software Engineering", "Sunrise Bakery", "Blue Ocean Seafood Restaurant", "City Dental Clinic",
    ];

    private enum TypoKind
    {
        Substitution,
        Transposition,
        Deletion,
    }

    /// <summary>Names the derivations can work on: Latin letters, at least two words or five letters.</summary>
    private static bool IsPlain(string name) =>
        name.All(c => c < 128) && name.Count(char.IsAsciiLetter) >= 5 && Words(name).Length >= 1;

    private static string[] Words(string name) => name.Split([' ', ',', '-', '.', '(', ')', '"', '/'], StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<T> Shuffled<T>(List<T> items, Random random)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy;
    }

    /// <summary><c>MADURO MOROS, Nicolas</c> → <c>Nicolas MADURO MOROS</c>.</summary>
    private static string FirstLast(string name)
    {
        var comma = name.IndexOf(',');
        return $"{name[(comma + 1)..].Trim()} {name[..comma].Trim()}";
    }

    /// <summary><c>LAST, First Middle</c> → <c>First LAST</c>, or <c>LAST SECOND, First</c> → <c>First LAST</c>: what a form with two boxes gets.</summary>
    private static string? WithoutMiddleName(string name)
    {
        var comma = name.IndexOf(',');
        var last = Words(name[..comma]);
        var first = Words(name[(comma + 1)..]);
        return first.Length >= 2 ? $"{first[0]} {string.Join(' ', last)}" : last.Length >= 2 ? $"{first[0]} {last[0]}" : null;
    }

    private static readonly (string From, string To)[] SpellingVariants =
    [
        ("KH", "H"), ("OU", "U"), ("IY", "Y"), ("EY", "EI"), ("EI", "EY"), ("YU", "IU"), ("YA", "IA"), ("IA", "YA"),
        ("X", "KS"), ("KS", "X"), ("PH", "F"), ("EE", "I"), ("OO", "U"), ("W", "V"), ("V", "W"), ("Q", "K"), ("SH", "SCH"),
        ("MM", "M"), ("LL", "L"), ("SS", "S"), ("DD", "D"), ("NN", "N"), ("TT", "T"), ("FF", "F"), ("J", "DJ"),
        ("MUHAMMAD", "MOHAMED"), ("MOHAMMED", "MUHAMMAD"), ("MOHAMMAD", "MOHAMED"), ("YUSUF", "YOUSEF"), ("HUSSEIN", "HUSAIN"),
        ("ALEKSANDR", "ALEXANDER"), ("SERGEY", "SERGEI"), ("ABDUL", "ABDEL"), ("AHMED", "AHMAD"),
    ];

    /// <summary>
    /// One spelling that transliteration schemes disagree on, changed (the first that applies, in
    /// a random order) in a word that is not a legal form: schemes spell names, not "LLC".
    /// </summary>
    private static string? Transliterated(string name, Random random)
    {
        foreach (var (from, to) in Shuffled(SpellingVariants.ToList(), random))
        {
            for (var at = name.IndexOf(from, StringComparison.OrdinalIgnoreCase); at >= 0; at = name.IndexOf(from, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                if ((at > 0 || from.Length > 1) && !LegalFormWords.Contains(WordAt(name, at), StringComparer.OrdinalIgnoreCase))
                {
                    var replacement = char.IsLower(name[at]) ? to.ToLowerInvariant() : to;
                    return name[..at] + replacement + name[(at + from.Length)..];
                }
            }
        }
        return null;
    }

    private static string WordAt(string name, int at)
    {
        var start = at;
        while (start > 0 && char.IsAsciiLetter(name[start - 1]))
        {
            start--;
        }
        var end = at;
        while (end < name.Length && char.IsAsciiLetter(name[end]))
        {
            end++;
        }
        return name[start..end];
    }

    private static readonly Dictionary<char, char> CyrillicLookAlikes = new()
    {
        ['A'] = 'А', ['a'] = 'а', ['E'] = 'Е', ['e'] = 'е', ['O'] = 'О', ['o'] = 'о', ['P'] = 'Р', ['p'] = 'р',
        ['C'] = 'С', ['c'] = 'с', ['X'] = 'Х', ['x'] = 'х', ['K'] = 'К', ['M'] = 'М', ['T'] = 'Т', ['H'] = 'Н', ['B'] = 'В',
    };

    /// <summary>One or two letters replaced by the Cyrillic letters drawn like them.</summary>
    private static string? LookAlikes(string name, Random random)
    {
        var positions = Enumerable.Range(0, name.Length).Where(i => CyrillicLookAlikes.ContainsKey(name[i])).ToArray();
        if (positions.Length == 0)
        {
            return null;
        }
        var chars = name.ToCharArray();
        foreach (var i in Shuffled([.. positions], random).Take(2))
        {
            chars[i] = CyrillicLookAlikes[chars[i]];
        }
        return new string(chars);
    }

    /// <summary>One typing mistake in the longest word (five letters or more), never its first letter.</summary>
    private static string? Typo(string name, Random random, TypoKind kind)
    {
        var word = Words(name).Where(w => w.All(char.IsAsciiLetter)).MaxBy(w => w.Length);
        if (word is null || word.Length < 5)
        {
            return null;
        }
        var at = name.IndexOf(word, StringComparison.Ordinal);
        var i = 1 + random.Next(word.Length - 2);
        var chars = word.ToCharArray();
        switch (kind)
        {
            case TypoKind.Substitution:
                var replacement = (char)('A' + random.Next(26));
                if (char.ToUpperInvariant(chars[i]) == replacement)
                {
                    replacement = replacement == 'Z' ? 'A' : (char)(replacement + 1);
                }
                chars[i] = char.IsLower(chars[i]) ? char.ToLowerInvariant(replacement) : replacement;
                break;
            case TypoKind.Transposition:
                if (chars[i] == chars[i + 1])
                {
                    return null;
                }
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                break;
            default:
                chars = [.. chars[..i], .. chars[(i + 1)..]];
                break;
        }
        return name[..at] + new string(chars) + name[(at + word.Length)..];
    }

    private static readonly string[] LegalFormWords =
    [
        "LIMITED LIABILITY COMPANY", "CLOSED JOINT STOCK COMPANY", "OPEN JOINT STOCK COMPANY", "PUBLIC JOINT STOCK COMPANY",
        "JOINT STOCK COMPANY", "CO., LTD.", "CO. LTD.", "CO., LTD", "COMPANY LIMITED", "PTE. LTD.", "PTE LTD", "SDN. BHD.", "SDN BHD",
        "S.A. DE C.V.", "L.L.C.", "LLC", "LTD.", "LTD", "LIMITED", "OOO", "ZAO", "OAO", "PAO", "AO", "JSC", "OJSC", "CJSC", "PJSC",
        "INC.", "INC", "CORP.", "CORPORATION", "GMBH", "AG", "S.A.", "SA", "SARL", "S.R.L.", "SRL", "FZE", "FZCO", "FZ-LLC", "PLC",
        "LLP", "TOV", "COMPANY", "CO.", "CO", "JOINT", "STOCK", "LIABILITY", "OBSHCHESTVO", "AKTSIONERNOE", "S", "OGRANICHENNOI",
        "OGRANICHENNOY", "OTVETSTVENNOSTYU",
    ];

    private static readonly string[] OtherForms = ["OOO {0}", "{0} LLC", "{0} Co., Ltd.", "{0} Limited", "{0} GmbH", "{0} S.A.", "{0}"];

    /// <summary>An entity's legal form written another way (<c>OOO X</c> ↔ <c>X LLC</c>, <c>X Co., Ltd.</c>…).</summary>
    private static string? OtherLegalForm(string name, Random random)
    {
        foreach (var form in LegalFormWords)
        {
            string? core = null;
            if (name.EndsWith(" " + form, StringComparison.OrdinalIgnoreCase) || name.EndsWith(", " + form, StringComparison.OrdinalIgnoreCase))
            {
                core = name[..^form.Length].TrimEnd(' ', ',');
            }
            else if (name.StartsWith(form + " ", StringComparison.OrdinalIgnoreCase))
            {
                core = name[form.Length..].Trim();
            }
            if (core is { Length: > 0 } && Words(core).Length > 0)
            {
                var other = OtherForms[random.Next(OtherForms.Length)];
                return string.Format(System.Globalization.CultureInfo.InvariantCulture, other, core);
            }
        }
        return null;
    }

    private static readonly Dictionary<char, char> Accents = new()
    {
        ['a'] = 'á', ['e'] = 'é', ['i'] = 'í', ['o'] = 'ó', ['u'] = 'ü', ['n'] = 'ñ', ['c'] = 'ç', ['s'] = 'ş', ['z'] = 'ž',
    };

    /// <summary>Written in mixed case with two or three diacritics, as in <c>Nicolás Maduro Moros</c>.</summary>
    private static string? Accented(string name, Random random)
    {
        var chars = TitleCase(name).ToCharArray();
        var positions = Enumerable.Range(0, chars.Length).Where(i => Accents.ContainsKey(chars[i])).ToArray();
        if (positions.Length < 2)
        {
            return null;
        }
        foreach (var i in Shuffled([.. positions], random).Take(3))
        {
            chars[i] = Accents[chars[i]];
        }
        return new string(chars);
    }

    private static string TitleCase(string name)
    {
        var chars = name.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 0 || !char.IsAsciiLetter(chars[i - 1]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }
        return new string(chars);
    }

    private static readonly string[] RussianEndings = ["OV", "EV", "IN", "OVA", "EVA", "INA", "SKY", "SKIY", "SKAYA", "ENKO", "VICH", "VNA"];

    /// <summary>An individual whose surname (before the comma) has a Russian or Ukrainian ending.</summary>
    private static bool LooksRussian(string name) =>
        name.Contains(',') && Words(name[..name.IndexOf(',')]).Any(w => w.Length >= 5 && RussianEndings.Any(e => w.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

    private static readonly (string Latin, string Cyrillic)[] ToCyrillic =
    [
        ("SHCH", "щ"), ("KH", "х"), ("ZH", "ж"), ("TS", "ц"), ("CH", "ч"), ("SH", "ш"), ("YU", "ю"), ("YA", "я"), ("YE", "е"),
        ("YO", "ё"), ("IY", "ий"), ("A", "а"), ("B", "б"), ("V", "в"), ("G", "г"), ("D", "д"), ("E", "е"), ("Z", "з"), ("I", "и"),
        ("K", "к"), ("L", "л"), ("M", "м"), ("N", "н"), ("O", "о"), ("P", "п"), ("R", "р"), ("S", "с"), ("T", "т"), ("U", "у"),
        ("F", "ф"), ("H", "х"), ("C", "к"), ("J", "дж"), ("W", "в"), ("X", "кс"), ("Q", "к"),
    ];

    /// <summary>The name written in Russian Cyrillic, as a Russian customer would type it (<c>KHOROSHEV, Dmitriy</c> → <c>Хорошев, Дмитрий</c>).</summary>
    private static string Cyrillic(string name)
    {
        var upper = name.ToUpperInvariant();
        var output = new StringBuilder();
        var wordStart = true;
        for (var i = 0; i < upper.Length;)
        {
            if (!char.IsAsciiLetter(upper[i]))
            {
                output.Append(upper[i++]);
                wordStart = true;
                continue;
            }
            string cyrillic;
            int length;
            var afterVowel = i > 0 && "AEIOU".Contains(upper[i - 1]);
            if (upper[i] == 'Y' && (afterVowel || i + 1 == upper.Length || !"AEOU".Contains(upper[i + 1])))
            {
                // After a vowel y is й (Sergey, Seyed), after a consonant ы (Krylov); before a vowel
                // it starts я, е, ё or ю (Yevgeniy, Yakov).
                cyrillic = afterVowel ? "й" : "ы";
                length = 1;
            }
            else
            {
                var rule = ToCyrillic.First(r => upper.AsSpan(i).StartsWith(r.Latin));
                cyrillic = rule.Cyrillic;
                length = rule.Latin.Length;
            }
            output.Append(wordStart ? char.ToUpperInvariant(cyrillic[0]) + cyrillic[1..] : cyrillic);
            wordStart = false;
            i += length;
        }
        return output.ToString();
    }
}
