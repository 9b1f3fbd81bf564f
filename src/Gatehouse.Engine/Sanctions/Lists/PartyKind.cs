using System.Buffers;
using System.Collections.Frozen;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// Whether a bare name is a person's, for lists that do not say (the BIS Denied Persons List, and
/// the Entity List, DPL and other non-OFAC rows of trade.gov's CSL). A name is taken for a
/// person's only when it clearly looks like one: two to five words of letters, no digits, and
/// none of the words companies and bodies are named with. Anything else is an entity. The
/// Denied Persons List is mostly people ("AARON ABRAHAM VILLA"), so calling every row an entity
/// would mislabel four in five; the rule still errs on names like "MAHAN AIR" or "SYNAPTIX.NET"
/// only where their words are missing below.
/// </summary>
internal static class PartyKind
{
    private static readonly FrozenSet<string> OrganisationWords = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        // Legal forms.
        "LTD", "LIMITED", "LLC", "LLP", "INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "GMBH", "AG", "KG",
        "SA", "SAS", "SL", "SRL", "SPA", "BV", "NV", "PLC", "PTE", "PVT", "PTY", "FZE", "FZC", "FZCO", "JSC", "OJSC", "CJSC",
        "PJSC", "OOO", "OAO", "ZAO", "AO", "PAO", "NPO", "NPP", "OKB", "FGUP", "FAU", "TOV", "UAB", "LDA", "CIA", "SDN", "BHD", "KFT",
        // What bodies are called.
        "GROUP", "HOLDING", "HOLDINGS", "INDUSTRIES", "INDUSTRY", "INDUSTRIAL", "ENTERPRISE", "ENTERPRISES", "TRADING",
        "TRADE", "INTERNATIONAL", "GLOBAL", "TECHNOLOGY", "TECHNOLOGIES", "TECH", "ELECTRONICS", "ELECTRONIC", "SYSTEM", "SYSTEMS", "SERVICES",
        "SERVICE", "SOLUTIONS", "ENGINEERING", "AVIATION", "AIRLINES", "AIRLINE", "AIRWAYS", "AIR", "CARGO", "LOGISTICS",
        "SHIPPING", "EXPRESS", "IMPORT", "EXPORT", "SUPPLY", "SUPPLIES", "PARTS", "INSTITUTE", "UNIVERSITY", "ACADEMY",
        "BUREAU", "CENTER", "CENTRE", "LABORATORY", "LABORATORIES", "FACTORY", "PLANT", "MILL", "MILLS", "STEEL", "BANK", "MINISTRY", "ORGANIZATION",
        "ORGANISATION", "ASSOCIATES", "PARTNERS", "DEVELOPMENT", "RESEARCH", "INSTRUMENTS", "EQUIPMENT", "MACHINERY",
        "MANUFACTURING", "CHEMICAL", "CHEMICALS", "MATERIALS", "ENERGY", "PETROLEUM", "OFFICE", "AGENCY", "FOUNDATION",
        "DEPARTMENT", "COMMITTEE", "COUNCIL", "ARMY", "FORCE", "FORCES", "GUARD", "NET", "COM", "STORE", "SHOP", "MARKET",
        "MOTORS", "TRANSPORT", "TRAVEL", "TOURS", "IMPEX", "INTERNACIONAL", "COMERCIAL", "COMERCIO", "EMPRESA", "HANDELS",
        "VERTRIEBS", "FIRM", "BRANCH", "DIVISION", "UNIT", "SUBSIDIARY", "SUCCESSOR");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> OrganisationWord =
        OrganisationWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> Separators = SearchValues.Create(" ,.()/&-'\"");

    public static SanctionsEntryType Guess(string name)
    {
        if (name.Any(char.IsDigit))
        {
            return SanctionsEntryType.Entity;
        }
        var words = 0;
        var rest = name.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOfAny(Separators);
            var word = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (word.IsEmpty)
            {
                continue;
            }
            words++;
            if (OrganisationWord.Contains(word))
            {
                return SanctionsEntryType.Entity;
            }
        }
        return words is >= 2 and <= 5 ? SanctionsEntryType.Individual : SanctionsEntryType.Entity;
    }
}
