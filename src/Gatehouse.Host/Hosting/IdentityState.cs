using System.Collections.Frozen;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// The identity snapshot in force. It is loaded from the store at start; every stored change is
/// then applied to it and the result swapped in whole, so the next request sees the change and
/// none sees half of it.
/// </summary>
internal sealed class IdentityState(IGatehouseStore store, GatewayEnvironment environment, TimeProvider timeProvider) : Engine.Models.IModelSwitches, Engine.Models.IStoredEndpoints
{
    /// <summary>The stored endpoints of one snapshot, resolved (upstream keys read) once for it rather than per request.</summary>
    private sealed record ResolvedEndpoints(IdentitySnapshot Snapshot, FrozenDictionary<string, EndpointDefinition[]> ByModel);

    private ResolvedEndpoints? _endpoints;

    private IdentitySnapshot _current = IdentitySnapshot.Empty;
    private DateTimeOffset? _swappedAt;
    private readonly Lock _swap = new();

    public IdentitySnapshot Current => Volatile.Read(ref _current);

    /// <summary>When the snapshot in force was loaded or last changed; null before the first load.</summary>
    public DateTimeOffset? SwappedAt
    {
        get
        {
            lock (_swap)
            {
                return _swappedAt;
            }
        }
    }

    public Engine.Models.ModelSwitch? DisabledSwitch(string modelId) => Current.DisabledSwitch(modelId);

    public IReadOnlyList<EndpointDefinition> EndpointsOf(string modelId)
    {
        var snapshot = Current;
        var resolved = Volatile.Read(ref _endpoints);
        if (resolved?.Snapshot != snapshot)
        {
            resolved = new ResolvedEndpoints(snapshot, snapshot.Data.Endpoints
                .GroupBy(e => e.ModelId, StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.Select(e => e.Resolve(environment.Read)).ToArray(), StringComparer.Ordinal));
            Volatile.Write(ref _endpoints, resolved);
        }
        return resolved.ByModel.TryGetValue(modelId, out var endpoints) ? endpoints : [];
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var snapshot = IdentitySnapshot.Build(await store.LoadIdentityAsync(cancellationToken));
        lock (_swap)
        {
            Volatile.Write(ref _current, snapshot);
            _swappedAt = timeProvider.GetUtcNow();
        }
    }

    /// <summary>Applies a change that the store has committed.</summary>
    public void Apply(IdentityChange change)
    {
        if (!change.ChangesSnapshot)
        {
            return;
        }
        // Serialised so that two changes applied at once cannot each drop the other's records.
        lock (_swap)
        {
            Volatile.Write(ref _current, IdentitySnapshot.Build(_current.Data.Apply(change)));
            _swappedAt = timeProvider.GetUtcNow();
        }
    }
}
