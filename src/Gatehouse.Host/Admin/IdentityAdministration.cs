using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Identity;

namespace Gatehouse.Host.Admin;

/// <summary>
/// Carries out identity operations one at a time: computes the change from the snapshot in
/// force, screens the names it creates or changes against the sanctions lists, stores it with the
/// flags that raises and its audit entries in one transaction, then applies it to the snapshot.
/// One at a time, so that two operations on the same account cannot both read the same "before";
/// in one transaction, so that no account exists, even for an instant, unscreened. The audit
/// entries then go into the hash-chained audit log as well.
/// </summary>
internal sealed class IdentityAdministration(IGatehouseStore store, IdentityState identityState, IdentityOperations operations, SanctionsScreening screening,
    AuditWriter audit)
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    public IdentityOperations Operations => operations;

    public Task<T> ApplyAsync<T>(Func<IdentitySnapshot, IdentityOperations.Outcome<T>> operation, CancellationToken cancellationToken) =>
        ApplyAsync(snapshot => Task.FromResult(operation(snapshot)), cancellationToken);

    /// <param name="operation">May read the store (flags, which the snapshot does not hold) before deciding.</param>
    public async Task<T> ApplyAsync<T>(Func<IdentitySnapshot, Task<IdentityOperations.Outcome<T>>> operation, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var before = identityState.Current;
            var outcome = await operation(before);
            var change = outcome.Change;
            if (await screening.ScreenChangeAsync(before, change, cancellationToken) is { } matches)
            {
                change = change.Combine(matches);
            }
            await store.SaveAsync(change, cancellationToken);
            identityState.Apply(change);
            await audit.RecordChangesAsync(change.Audit, cancellationToken);
            return outcome.Result;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// On first start there is no admin token yet: issue one and write it, readable only by the
    /// owner, to <paramref name="tokenFile"/>. Returns false when tokens already exist.
    /// </summary>
    public async Task<bool> EnsureAdminTokenAsync(string tokenFile, CancellationToken cancellationToken)
    {
        if (identityState.Current.Data.AdminTokens.Count > 0)
        {
            return false;
        }
        await ApplyAsync(async _ =>
        {
            var issued = operations.CreateAdminToken(AuditEntry.SystemActor, AdminRoles.Admin, "bootstrap");
            // Written before the token is stored: a token that cannot be handed over must not exist.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tokenFile))!);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using (var writer = new StreamWriter(tokenFile, options))
            {
                await writer.WriteLineAsync(issued.Result.Token.AsMemory(), cancellationToken);
            }
            return issued;
        }, cancellationToken);
        return true;
    }
}
