using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Gatehouse.Engine.Licensing;

namespace Gatehouse.Engine.Identity;

/// <summary>
/// Keys, accounts, organisations and admin tokens, frozen for the hot path. A change builds a
/// new snapshot that replaces this one whole; requests never wait on the database.
/// </summary>
public sealed class IdentitySnapshot
{
    private readonly FrozenDictionary<string, Principal> _principalsByKeyId;
    private readonly FrozenDictionary<string, Principal>.AlternateLookup<ReadOnlySpan<char>> _principalsByKeyIdSpan;
    private readonly FrozenDictionary<string, AdminTokenRecord> _adminTokens;
    private readonly FrozenDictionary<string, AdminTokenRecord>.AlternateLookup<ReadOnlySpan<char>> _adminTokensSpan;
    private readonly FrozenDictionary<string, Account> _accounts;
    private readonly FrozenDictionary<string, Organization> _organizations;
    private readonly FrozenDictionary<string, IReadOnlyList<ExportLicense>> _licensesByOrganization;
    private readonly FrozenDictionary<string, Flag> _sanctionsFlagsByAccount;
    private readonly FrozenDictionary<string, ExportLicense> _licenses;
    private readonly FrozenDictionary<string, Models.ModelSwitch> _disabledModels;

    private IdentitySnapshot(IdentityData data)
    {
        Data = data;
        var organizations = data.Organizations.ToFrozenDictionary(o => o.Id, StringComparer.Ordinal);
        var accounts = data.Accounts.ToFrozenDictionary(a => a.Id, StringComparer.Ordinal);
        _licensesByOrganization = data.Licenses.GroupBy(l => l.OrganizationId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<ExportLicense>)[.. g], StringComparer.Ordinal);
        _sanctionsFlagsByAccount = data.OpenSanctionsFlags.GroupBy(f => f.AccountId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _licenses = data.Licenses.ToFrozenDictionary(l => l.Id, StringComparer.Ordinal);
        _disabledModels = data.ModelSwitches.Where(s => s.Disabled).ToFrozenDictionary(s => s.ModelId, StringComparer.Ordinal);
        Policies = Policy.StoredPolicies.Of(data.Policies);
        var principals = new Dictionary<string, Principal>(StringComparer.Ordinal);
        foreach (var key in data.ApiKeys)
        {
            // The store enforces these references; a key whose owner is gone cannot authenticate.
            if (accounts.TryGetValue(key.AccountId, out var account) &&
                organizations.TryGetValue(account.OrganizationId, out var organization))
            {
                principals[key.Id] = PrincipalOf(key, account, organization);
            }
        }
        _principalsByKeyId = principals.ToFrozenDictionary(StringComparer.Ordinal);
        _principalsByKeyIdSpan = _principalsByKeyId.GetAlternateLookup<ReadOnlySpan<char>>();
        _adminTokens = data.AdminTokens.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        _adminTokensSpan = _adminTokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _accounts = accounts;
        _organizations = organizations;
    }

    public static IdentitySnapshot Empty { get; } = new(IdentityData.Empty);

    public static IdentitySnapshot Build(IdentityData data) => new(data);

    public IdentityData Data { get; }

    /// <summary>The stored policies in force, parsed once for this snapshot.</summary>
    public Policy.StoredPolicies Policies { get; }

    /// <summary>The caller a presented data-plane key belongs to, or null for any unknown or malformed key.</summary>
    public Principal? Authenticate(string presented) =>
        SecretToken.TryParse(presented, SecretToken.ApiKeyKind, out var id, out var secret) &&
        _principalsByKeyIdSpan.TryGetValue(id, out var principal) &&
        SecretToken.Matches(secret, principal.Key!.SecretHash)
            ? principal
            : null;

    /// <summary>
    /// Unlike a data-plane key, whose revocation is a decision the caller is told about, a revoked
    /// admin token is simply not a token.
    /// </summary>
    public AdminTokenRecord? AuthenticateAdmin(string presented) =>
        SecretToken.TryParse(presented, SecretToken.AdminTokenKind, out var id, out var secret) &&
        _adminTokensSpan.TryGetValue(id, out var token) &&
        SecretToken.Matches(secret, token.SecretHash) &&
        token.RevokedAt is null
            ? token
            : null;

    public bool TryGetPrincipalByKeyId(string keyId, [NotNullWhen(true)] out Principal? principal) =>
        _principalsByKeyId.TryGetValue(keyId, out principal);

    /// <summary>The account as a principal without a key, for questions about an account as a whole.</summary>
    public bool TryGetPrincipalByAccountId(string accountId, [NotNullWhen(true)] out Principal? principal)
    {
        principal = _accounts.TryGetValue(accountId, out var account) && _organizations.TryGetValue(account.OrganizationId, out var organization)
            ? PrincipalOf(null, account, organization)
            : null;
        return principal is not null;
    }

    private Principal PrincipalOf(ApiKeyRecord? key, Account account, Organization organization) => new(key, account, organization)
    {
        Licenses = _licensesByOrganization.GetValueOrDefault(organization.Id, []),
        SanctionsFlag = _sanctionsFlagsByAccount.GetValueOrDefault(account.Id),
    };

    /// <summary>The organisation's export licences, in force or not.</summary>
    public IReadOnlyList<ExportLicense> LicensesOf(string organizationId) => _licensesByOrganization.GetValueOrDefault(organizationId, []);

    public bool TryGetLicense(string id, [NotNullWhen(true)] out ExportLicense? license) => _licenses.TryGetValue(id, out license);

    /// <summary>The switch that disables the model, or null while it is enabled.</summary>
    public Models.ModelSwitch? DisabledSwitch(string modelId) => _disabledModels.GetValueOrDefault(modelId);

    public bool TryGetOrganization(string id, [NotNullWhen(true)] out Organization? organization) => _organizations.TryGetValue(id, out organization);

    public bool TryGetAccount(string id, [NotNullWhen(true)] out Account? account) => _accounts.TryGetValue(id, out account);

    public bool TryGetKey(string id, [NotNullWhen(true)] out ApiKeyRecord? key)
    {
        key = _principalsByKeyId.TryGetValue(id, out var principal) ? principal.Key : null;
        return key is not null;
    }

    public bool TryGetAdminToken(string id, [NotNullWhen(true)] out AdminTokenRecord? token) => _adminTokens.TryGetValue(id, out token);
}
