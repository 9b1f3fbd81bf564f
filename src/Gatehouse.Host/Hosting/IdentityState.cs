using System.Collections.Frozen;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Policy;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// The identity snapshot in force. It is loaded from the store at start; every change this
/// gateway stores is then applied to it and the result swapped in whole, so the next request sees
/// the change and none sees half of it. Changes other gateways store arrive by loading it all again.
/// </summary>
internal sealed partial class IdentityState(IGatehouseStore store, GatewayEnvironment environment, TimeProvider timeProvider, ILogger<IdentityState> logger)
    : Engine.Models.IModelSwitches, Engine.Models.IStoredEndpoints, IStoredPolicies
{
    /// <summary>The stored endpoints of one snapshot, resolved (upstream keys read) once for it rather than per request.</summary>
    private sealed record ResolvedEndpoints(IdentitySnapshot Snapshot, FrozenDictionary<string, EndpointDefinition[]> ByModel);

    private ResolvedEndpoints? _endpoints;

    /// <summary>The policies in force for one configuration and one snapshot, compiled once for the pair rather than per request.</summary>
    private sealed record EffectivePolicies(PolicySettings Configured, IdentitySnapshot Snapshot, PolicySettings Effective);

    private EffectivePolicies? _policies;

    private IdentitySnapshot _current = IdentitySnapshot.Empty;
    private DateTimeOffset? _swappedAt;
    private long _applied;
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

    public PolicySettings Effective(PolicySettings configured)
    {
        var snapshot = Current;
        var effective = Volatile.Read(ref _policies);
        // Compared as references: a new configuration or snapshot is a new object, and a record's value equality would only cost more.
        if (!ReferenceEquals(effective?.Snapshot, snapshot) || !ReferenceEquals(effective.Configured, configured))
        {
            effective = new EffectivePolicies(configured, snapshot, configured.With(snapshot.Policies));
            Volatile.Write(ref _policies, effective);
        }
        return effective.Effective;
    }

    /// <summary>
    /// Reads the whole snapshot from the store and swaps it in — unless this gateway applied a
    /// change of its own meanwhile, which the read may have missed: then it returns false and
    /// swaps nothing, for the caller to try again.
    /// </summary>
    public async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        long applied;
        lock (_swap)
        {
            applied = _applied;
        }
        var snapshot = IdentitySnapshot.Build(await store.LoadIdentityAsync(cancellationToken));
        lock (_swap)
        {
            if (_applied != applied)
            {
                return false;
            }
            Swap(snapshot);
            return true;
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
            Swap(IdentitySnapshot.Build(_current.Data.Apply(change)));
            _applied++;
        }
    }

    private void Swap(IdentitySnapshot snapshot)
    {
        foreach (var problem in snapshot.Policies.Unreadable)
        {
            LogUnreadablePolicy(logger, problem);
        }
        Volatile.Write(ref _current, snapshot);
        _swappedAt = timeProvider.GetUtcNow();
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Error, Message = "{Problem}")]
    private static partial void LogUnreadablePolicy(ILogger logger, string problem);
}
