using Gatehouse.Engine.Sanctions;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Audit;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// The sanctions lists in force and their screening index, loaded at start, replaced whole
/// after each import, and loaded again when another gateway imported. Imports and loads run one
/// at a time: each import is planned against the version before it.
/// </summary>
internal sealed class SanctionsState(IGatehouseStore store, TimeProvider timeProvider, AuditWriter audit)
{
    private sealed record Lists(SanctionsData Data, SanctionsIndex Index, DateTimeOffset? SwappedAt);

    private Lists _current = new(SanctionsData.Empty, SanctionsIndex.Empty, null);
    private readonly SemaphoreSlim _imports = new(1, 1);

    public SanctionsData Data => Volatile.Read(ref _current).Data;

    public SanctionsIndex Index => Volatile.Read(ref _current).Index;

    /// <summary>When the lists in force were loaded or last imported; null before the first load.</summary>
    public DateTimeOffset? SwappedAt => Volatile.Read(ref _current).SwappedAt;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _imports.WaitAsync(cancellationToken);
        try
        {
            var data = await store.LoadSanctionsAsync(cancellationToken);
            // The index is the costly part; a periodic read that finds the same versions keeps the one in force.
            var index = SameVersions(data, Data) ? Index : SanctionsIndex.Build(data.Entries);
            Volatile.Write(ref _current, new Lists(data, index, timeProvider.GetUtcNow()));
        }
        finally
        {
            _imports.Release();
        }
    }

    private static bool SameVersions(SanctionsData loaded, SanctionsData current) =>
        loaded.Versions.Select(v => v.Id).SequenceEqual(current.Versions.Select(v => v.Id), StringComparer.Ordinal);

    /// <summary>
    /// Stores <paramref name="list"/> as the new version of its source in one transaction, then
    /// swaps in the index built from it. If storing fails, the previous version stays in force.
    /// </summary>
    public async Task<SanctionsListVersion> ImportAsync(SanctionsList list, string actor, CancellationToken cancellationToken)
    {
        await _imports.WaitAsync(cancellationToken);
        try
        {
            var import = SanctionsImport.Plan(list, Data, actor, timeProvider.GetUtcNow());
            await store.SaveSanctionsImportAsync(import, cancellationToken);
            var data = Data.Apply(import);
            Volatile.Write(ref _current, new Lists(data, SanctionsIndex.Build(data.Entries), timeProvider.GetUtcNow()));
            await audit.RecordChangesAsync([import.Audit], cancellationToken);
            return import.Version;
        }
        finally
        {
            _imports.Release();
        }
    }
}
