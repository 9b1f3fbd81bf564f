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
    public const string GeoCountryRestricted = "geo.country_restricted";
    public const string GeoEmbargoed = "geo.embargoed";
    public const string GeoAnonymizer = "geo.anonymizer";
    public const string GeoUnknownLocation = "geo.unknown_location";

    /// <summary>The HTTP status a reason is answered with on the data plane.</summary>
    public static int StatusCodeOf(string reasonCode) => reasonCode switch
    {
        Allowed => 200,
        ModelUnknown => 404,
        ModelNoEndpoint => 503,
        _ => 403,
    };
}
