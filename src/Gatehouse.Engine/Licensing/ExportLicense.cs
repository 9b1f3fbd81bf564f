using System.IO.Enumeration;

namespace Gatehouse.Engine.Licensing;

public enum LicenseStatus
{
    Active,
    Revoked,
    Expired,
}

/// <summary>
/// An export licence (or exemption): it lets the organisation use the named models from the
/// named countries between <see cref="ValidFrom"/> (inclusive) and <see cref="ValidTo"/>
/// (exclusive), and nothing more. It lifts jurisdiction restrictions only; an embargo, a
/// sanctions match or a suspension still refuses.
/// </summary>
/// <param name="Number">The issuing authority's reference, e.g. <c>D-1234567</c>.</param>
/// <param name="Models">Model ids, or patterns with <c>*</c> (e.g. <c>mythos-*</c>).</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes of the countries callers may be in.</param>
public sealed record ExportLicense(
    string Id,
    string Number,
    string OrganizationId,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Countries,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    DateTimeOffset CreatedAt)
{
    public string? Note { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }

    /// <summary>Revoked or expired from the exact instant; a licence whose term has not begun is still <see cref="LicenseStatus.Active"/>.</summary>
    public LicenseStatus StatusAt(DateTimeOffset now) =>
        RevokedAt <= now ? LicenseStatus.Revoked : ValidTo <= now ? LicenseStatus.Expired : LicenseStatus.Active;

    public bool IsInForceAt(DateTimeOffset now) => StatusAt(now) == LicenseStatus.Active && ValidFrom <= now;

    // Loops rather than LINQ: these run per request for organisations that hold licences.
    public bool CoversModel(string modelId)
    {
        foreach (var pattern in Models)
        {
            if (IsModelPattern(pattern) ? FileSystemName.MatchesSimpleExpression(pattern, modelId, ignoreCase: false) : pattern == modelId)
            {
                return true;
            }
        }
        return false;
    }

    public bool CoversCountry(string country)
    {
        foreach (var covered in Countries)
        {
            if (covered == country)
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsModelPattern(string model) => model.Contains('*');

    public override string ToString() => $"licence {Number} ({Id})";
}
