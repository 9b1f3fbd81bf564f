namespace Gatehouse.Engine.Decisions;

/// <summary>
/// Stable, machine-readable reasons used in responses, audit and metrics. A code keeps its
/// meaning forever; a new meaning gets a new code.
/// </summary>
public static class ReasonCodes
{
    public const string Allowed = "allowed";
    public const string ModelUnknown = "model.unknown";
    public const string ModelNoEndpoint = "model.no_endpoint";
    public const string ModelDisabled = "model.disabled";
    public const string PolicyExplicitDeny = "policy.explicit_deny";
    public const string PolicyNotAllowed = "policy.not_allowed";
    public const string ResidencyNoAllowedEndpoint = "residency.no_allowed_endpoint";
    public const string GeoCountryRestricted = "geo.country_restricted";
    public const string GeoEmbargoed = "geo.embargoed";
    public const string GeoAnonymizer = "geo.anonymizer";
    public const string GeoUnknownLocation = "geo.unknown_location";
    public const string KeyRevoked = "identity.key_revoked";
    public const string KeyExpired = "identity.key_expired";
    public const string KeyNetwork = "identity.key_network";
    public const string AccountSuspended = "identity.account_suspended";
    public const string AccountClosed = "identity.account_closed";
    public const string AccountFlagged = "identity.account_flagged";
    public const string Unverified = "identity.unverified";
    public const string BillingCountry = "identity.billing_country";
    public const string CardCountry = "identity.card_country";
    public const string RegisteredCountry = "identity.registered_country";
    public const string VpnMismatch = "identity.vpn_mismatch";
    public const string SanctionsMatch = "identity.sanctions_match";
    public const string LicenseMissing = "license.missing";
    public const string LicenseExpired = "license.expired";
    public const string LicenseNotYetValid = "license.not_yet_valid";
    public const string BudgetExceeded = "budget.exceeded";
    public const string CountersUnavailable = "counters.unavailable";

    /// <summary>The HTTP status a reason is answered with on the data plane.</summary>
    public static int StatusCodeOf(string reasonCode) => reasonCode switch
    {
        Allowed => 200,
        ModelUnknown => 404,
        ModelNoEndpoint or CountersUnavailable => 503,
        KeyRevoked or KeyExpired => 401,
        _ => 403,
    };

    /// <summary>
    /// Refusals because of where the caller or the account is, which a substitute model may
    /// answer instead. Not the VPN loophole (a flagged pattern) nor the embargo (every model's).
    /// </summary>
    public static bool IsJurisdictionReason(string reasonCode) =>
        reasonCode is GeoCountryRestricted or BillingCountry or CardCountry or RegisteredCountry or LicenseMissing or LicenseExpired or LicenseNotYetValid;

    /// <summary>
    /// Refusals because the model has no endpoint this caller may be served from: they say where
    /// the model is deployed, nothing about the caller, so they do not stand in the way of a substitute.
    /// </summary>
    public static bool IsPlacementReason(string reasonCode) => reasonCode is ModelNoEndpoint or ResidencyNoAllowedEndpoint;

    /// <summary>Reasons about the key or the account as a whole, which refuse every model alike.</summary>
    public static bool RefusesEveryModel(string reasonCode) =>
        reasonCode is KeyRevoked or KeyExpired or KeyNetwork or AccountSuspended or AccountClosed or SanctionsMatch or BudgetExceeded;
}
