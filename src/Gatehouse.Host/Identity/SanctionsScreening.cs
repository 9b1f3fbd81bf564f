using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Identity;

/// <summary>
/// Screens the names of organisations and account holders against the sanctions lists in force:
/// when a change creates or renames one, and everyone after a list import. Each match at or above
/// the configured threshold flags the account, once per list entry: an open flag is not raised
/// twice, and a flag a reviewer closed is raised again only if the entry itself has changed.
/// </summary>
internal sealed class SanctionsScreening(SanctionsState lists, ConfigurationState configuration, IGatehouseStore store, IdentityOperations operations)
{
    /// <summary>The best entries kept per name: enough for a reviewer to compare, few enough not to bury them.</summary>
    private const int MatchesPerName = 3;

    /// <summary>Flags for what <paramref name="change"/> creates or renames, to be stored with it; null when there are none.</summary>
    public Task<IdentityChange?> ScreenChangeAsync(IdentitySnapshot before, IdentityChange change, CancellationToken cancellationToken)
    {
        var organizations = Latest(change.Organizations, o => o.Id);
        var accounts = Latest(change.Accounts, a => a.Id);
        var screened = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var account in accounts.Values)
        {
            if (!before.TryGetAccount(account.Id, out var old) || ScreenedFacts(old) != ScreenedFacts(account))
            {
                screened[account.Id] = account;
            }
        }
        foreach (var organization in organizations.Values)
        {
            if (!before.TryGetOrganization(organization.Id, out var old) || ScreenedFacts(old) != ScreenedFacts(organization))
            {
                foreach (var account in before.Data.Accounts.Where(a => a.OrganizationId == organization.Id))
                {
                    screened.TryAdd(account.Id, accounts.GetValueOrDefault(account.Id, account));
                }
            }
        }
        return FlagMatchesAsync(screened.Values, id => organizations.GetValueOrDefault(id) ?? (before.TryGetOrganization(id, out var o) ? o : null), cancellationToken);
    }

    /// <summary>Every account that is not closed, against the lists in force: after an import.</summary>
    public Task<IdentityChange?> ScreenEveryoneAsync(IdentitySnapshot snapshot, CancellationToken cancellationToken) =>
        FlagMatchesAsync(snapshot.Data.Accounts, id => snapshot.TryGetOrganization(id, out var o) ? o : null, cancellationToken);

    private async Task<IdentityChange?> FlagMatchesAsync(IEnumerable<Account> accounts, Func<string, Organization?> organizationOf, CancellationToken cancellationToken)
    {
        var index = lists.Index;
        if (index.EntryCount == 0)
        {
            return null;
        }
        var threshold = configuration.Current.Identity.Sanctions.Threshold;
        var found = new List<(Account Account, SanctionsMatchEvidence Match)>();
        foreach (var account in accounts)
        {
            if (account.Status == AccountStatus.Closed || organizationOf(account.OrganizationId) is not { } organization)
            {
                continue;
            }
            var best = new Dictionary<string, SanctionsMatchEvidence>(StringComparer.Ordinal);
            foreach (var (subject, subjectId, name, country, place) in Subjects(account, organization))
            {
                foreach (var match in index.Screen(name, country, threshold, MatchesPerName))
                {
                    if (!best.TryGetValue(match.Entry.Key, out var kept) || kept.Score < match.Score)
                    {
                        best[match.Entry.Key] = new SanctionsMatchEvidence(subject, subjectId, name, match.Entry.Key, match.Entry.Fingerprint, match.Entry.Name,
                            match.MatchedName, Math.Round(match.Score, 4), match.CountryMatched, match.Entry.MentionsPlace(place), match.Entry.Programs);
                    }
                }
            }
            found.AddRange(best.Values.OrderByDescending(m => m.Score).Select(m => (account, m)));
        }
        if (found.Count == 0)
        {
            return null;
        }

        // Only now is the store asked which of these entries were flagged before.
        var earlier = await store.LoadFlagsAsync(new FlagFilter(Reason: ReasonCodes.SanctionsMatch), cancellationToken);
        var open = earlier.Where(f => f.IsOpen).Select(f => (f.AccountId, f.Match!.EntryKey)).ToHashSet();
        var reviewed = earlier.Where(f => !f.IsOpen).Select(f => (f.AccountId, f.Match!.EntryKey, f.Match.EntryFingerprint)).ToHashSet();
        var change = new IdentityChange();
        var current = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var (account, match) in found)
        {
            if (open.Contains((account.Id, match.EntryKey)) || reviewed.Contains((account.Id, match.EntryKey, match.EntryFingerprint)))
            {
                continue;
            }
            // The first match moves the account to flagged; the next ones must start from that.
            var outcome = operations.FlagSanctionsMatch(current.GetValueOrDefault(account.Id, account), match);
            if (outcome.Change.Accounts is [.., var flagged])
            {
                current[account.Id] = flagged;
            }
            change = change.Combine(outcome.Change);
        }
        return change.Flags.Count == 0 ? null : change;
    }

    /// <summary>The organisation's and the holder's names, each with the country and the city (where known) that place it.</summary>
    private static IEnumerable<(string Subject, string Id, string Name, string? Country, string? Place)> Subjects(Account account, Organization organization)
    {
        yield return (SanctionsMatchEvidence.OrganizationSubject, organization.Id, organization.LegalName ?? organization.Name, organization.RegisteredCountry, null);
        yield return (SanctionsMatchEvidence.AccountSubject, account.Id, account.Kyc.LegalName ?? account.Name,
            account.Kyc.RegisteredCountry ?? account.Kyc.Billing?.Country, account.Kyc.Billing?.City);
    }

    private static (string, string?, string?) ScreenedFacts(Organization o) => (o.Name, o.LegalName, o.RegisteredCountry);

    private static (string, string?, string?, string?) ScreenedFacts(Account a) => (a.Name, a.Kyc.LegalName, a.Kyc.RegisteredCountry, a.Kyc.Billing?.Country);

    private static Dictionary<string, T> Latest<T>(IEnumerable<T> records, Func<T, string> id)
    {
        var latest = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            latest[id(record)] = record;
        }
        return latest;
    }
}
