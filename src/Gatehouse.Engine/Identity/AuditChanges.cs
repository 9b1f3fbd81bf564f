namespace Gatehouse.Engine.Identity;

/// <summary>
/// What an audit entry says changed: <c>field: old → new</c> for every field that differs,
/// <c>-</c> standing for nothing. Secrets and their hashes are never among the fields.
/// </summary>
internal static class AuditChanges
{
    public static string Of(Organization? before, Organization after) => Diff(Fields(before), Fields(after));

    public static string Of(Account? before, Account after) => Diff(Fields(before), Fields(after));

    public static string Of(ApiKeyRecord? before, ApiKeyRecord after) => Diff(Fields(before), Fields(after));

    public static string Of(AdminTokenRecord? before, AdminTokenRecord after) => Diff(Fields(before), Fields(after));

    public static string Of(Licensing.ExportLicense? before, Licensing.ExportLicense after) => Diff(Fields(before), Fields(after));

    /// <summary>A policy's document is recorded by its digest: every version's text is in the store, and the digest names the one put.</summary>
    public static string Of(Policy.StoredPolicy? before, Policy.StoredPolicy after) => Diff(Fields(before), Fields(after));

    private static (string, string?)[] Fields(Policy.StoredPolicy? p) =>
    [
        ("documentSha256", p?.DocumentSha256),
        ("gateway", p is null ? null : p.Gateway ? "true" : "false"),
        ("organizations", p is null ? null : string.Join(", ", p.Organizations)),
    ];

    private static (string, string?)[] Fields(Organization? o) =>
        [("name", o?.Name), ("legalName", o?.LegalName), ("registeredCountry", o?.RegisteredCountry), ("acceptsSubstitutes", o is null ? null : o.AcceptsSubstitutes ? "true" : "false")];

    private static (string, string?)[] Fields(Account? a) =>
    [
        ("organization", a?.OrganizationId), ("name", a?.Name), ("email", a?.Email),
        ("legalName", a?.Kyc.LegalName), ("registeredCountry", a?.Kyc.RegisteredCountry),
        ("billingAddress", a?.Kyc.Billing is { } b ? string.Join(", ", new[] { b.Line1, b.Line2, b.City, b.PostalCode, b.Country }.Where(p => !string.IsNullOrEmpty(p))) : null),
        ("cardCountry", a?.Kyc.CardCountry),
        ("verification", a is null ? null : EnumNames<VerificationStatus>.Of(a.Kyc.Verification)), ("verificationMethod", a?.Kyc.VerificationMethod),
        ("status", a is null ? null : EnumNames<AccountStatus>.Of(a.Status)),
    ];

    private static (string, string?)[] Fields(ApiKeyRecord? k) =>
    [
        ("account", k?.AccountId), ("name", k?.Name), ("expiresAt", k?.ExpiresAt?.ToString("u")), ("revokedAt", k?.RevokedAt?.ToString("u")),
        ("replacedBy", k?.ReplacedBy), ("allowedNetworks", k is { AllowedNetworks.IsEmpty: false } ? k.AllowedNetworks.ToString() : null),
        ("rateLimit", k?.RateLimit?.ToString()),
    ];

    private static (string, string?)[] Fields(AdminTokenRecord? t) =>
        [("role", t?.Role), ("name", t?.Name), ("revokedAt", t?.RevokedAt?.ToString("u"))];

    private static (string, string?)[] Fields(Licensing.ExportLicense? l) =>
    [
        ("number", l?.Number), ("organization", l?.OrganizationId), ("models", l is null ? null : string.Join(", ", l.Models)),
        ("countries", l is null ? null : string.Join(", ", l.Countries)), ("validFrom", l?.ValidFrom.ToString("u")), ("validTo", l?.ValidTo.ToString("u")),
        ("revokedAt", l?.RevokedAt?.ToString("u")),
    ];

    private static string Diff((string Name, string? Value)[] before, (string Name, string? Value)[] after) =>
        string.Join("; ", after
            .Select((field, i) => (field.Name, Old: before[i].Value, New: field.Value))
            .Where(f => f.Old != f.New)
            .Select(f => $"{f.Name}: {f.Old ?? "-"} → {f.New ?? "-"}"));
}
