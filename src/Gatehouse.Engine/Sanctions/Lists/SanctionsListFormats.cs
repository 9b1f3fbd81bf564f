using System.Collections.Frozen;

namespace Gatehouse.Engine.Sanctions.Lists;

/// <summary>Every list format Gatehouse reads, each under the source it produces; one source, one format.</summary>
internal static class SanctionsListFormats
{
    public static FrozenDictionary<string, ISanctionsListFormat> BySource { get; } = Index(
    [
        OfacListFormat.Sdn,
        OfacListFormat.Consolidated,
        new CslListFormat(),
        new UnListFormat(),
        new DplListFormat(),
    ]);

    /// <summary>In the order of <see cref="SanctionsSources.All"/>, so that lists come back in that order.</summary>
    public static IReadOnlyList<ISanctionsListFormat> All { get; } =
        [.. SanctionsSources.All.Where(BySource.ContainsKey).Select(source => BySource[source])];

    internal static FrozenDictionary<string, ISanctionsListFormat> Index(IEnumerable<ISanctionsListFormat> formats)
    {
        var bySource = new Dictionary<string, ISanctionsListFormat>(StringComparer.Ordinal);
        foreach (var format in formats)
        {
            if (!bySource.TryAdd(format.Source, format))
            {
                throw new InvalidOperationException($"Two list formats read '{format.Source}': {bySource[format.Source].GetType().Name} and {format.GetType().Name}.");
            }
        }
        return bySource.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
