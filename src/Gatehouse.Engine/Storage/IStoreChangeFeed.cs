namespace Gatehouse.Engine.Storage;

/// <summary>What a committed change touched, and so what a gateway holding it in memory must read again.</summary>
public enum StoreChange
{
    /// <summary>Organisations, accounts, keys, admin tokens, flags, licences, the kill switch, created endpoints, stored policies.</summary>
    Identity,
    Sanctions,
    Budgets,
}

/// <summary>
/// A store that several gateways share tells each of them when another one committed a change
/// to what they keep in memory.
/// </summary>
public interface IStoreChangeFeed
{
    /// <summary>
    /// Listens until cancelled, or until the connection it listens on fails, when it throws.
    /// <paramref name="listening"/> is called once the feed is live: changes committed before that
    /// may have been missed, so the caller reads everything again then.
    /// <paramref name="changed"/> is called for each change another gateway commits, in commit order.
    /// </summary>
    Task ListenAsync(Action listening, Action<StoreChange> changed, CancellationToken cancellationToken);
}
