using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// The identity snapshot in force. Every write through the admin API rebuilds it from the
/// store and swaps it whole, so the next request sees the change and none sees half of it.
/// </summary>
internal sealed class IdentityState(IGatehouseStore store)
{
    private IdentitySnapshot _current = IdentitySnapshot.Empty;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public IdentitySnapshot Current => Volatile.Read(ref _current);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // Serialised so that a slow, older load can never overwrite a newer one.
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var data = await store.LoadIdentityAsync(cancellationToken);
            Volatile.Write(ref _current, IdentitySnapshot.Build(data));
        }
        finally
        {
            _refresh.Release();
        }
    }
}
