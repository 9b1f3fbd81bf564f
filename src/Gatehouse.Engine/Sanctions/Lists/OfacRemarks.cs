namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>
/// What screening needs from OFAC's Remarks, a <c>; </c>-separated bag of items ending in a full
/// stop: the weak aliases (<c>a.k.a. 'HESA'</c>), found nowhere else, and the nationality and
/// citizenship (<c>nationality Russia</c>, <c>citizen Russia</c>), which the primary file alone,
/// without add.csv, has no other way to give. Identifiers, dates and crypto addresses stay in
/// the remarks for the reviewer.
/// </summary>
internal static class OfacRemarks
{
    private const string WeakAlias = "a.k.a. '";

    private static readonly string[] CountryItems = ["nationality ", "citizen ", "Nationality of Registration "];

    public static void AddNamesAndCountries(string remarks, EntryDraft draft)
    {
        foreach (var raw in remarks.Split(';', StringSplitOptions.TrimEntries))
        {
            // The last item carries the full stop that ends the bag.
            var item = raw.TrimEnd('.');
            if (item.StartsWith("alt. ", StringComparison.Ordinal))
            {
                item = item[5..];
            }
            // Names may hold apostrophes of their own ('ABU-'UMAR'), so only the outer pair is taken off.
            if (item.StartsWith(WeakAlias, StringComparison.Ordinal) && item.Length > WeakAlias.Length + 1 && item.EndsWith('\''))
            {
                draft.AddAlias(item[WeakAlias.Length..^1]);
                continue;
            }
            foreach (var prefix in CountryItems)
            {
                if (item.StartsWith(prefix, StringComparison.Ordinal))
                {
                    draft.AddCountry(item[prefix.Length..]);
                }
            }
        }
    }
}
