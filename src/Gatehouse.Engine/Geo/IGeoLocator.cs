using System.Net;

namespace Gatehouse.Engine.Geo;

/// <summary>Places an address in a country and a network type.</summary>
public interface IGeoLocator
{
    GeoLocation Locate(IPAddress address);
}

/// <summary>
/// The locator in force while no GeoIP database is loaded: every location is unknown, so
/// restricted models are refused (fail closed) and unrestricted ones still work.
/// </summary>
public sealed class NoGeoData : IGeoLocator
{
    public static NoGeoData Instance { get; } = new();

    public GeoLocation Locate(IPAddress address) => GeoLocation.Unknown("no GeoIP database is loaded");
}
