using System.Net;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Support;

/// <summary>Places every address at one location, so that a decision test names where its caller is.</summary>
internal sealed class FixedLocator(GeoLocation location) : IGeoLocator
{
    /// <summary>A residential network in <paramref name="country"/>.</summary>
    public static FixedLocator In(string country) => new(new GeoLocation(country, NetworkType.Residential, null));

    public GeoLocation Locate(IPAddress address) => location;
}
