using System.Net;

namespace Gatehouse.Engine.Geo;

/// <summary>Places an address in a country and a network type.</summary>
public interface IGeoLocator
{
    GeoLocation Locate(IPAddress address);
}
