using Gatehouse.Engine.Configuration;

namespace Gatehouse.Host.Hosting;

/// <summary>What <c>gatehouse serve</c> was asked to do.</summary>
/// <param name="ConfigPath">The configuration file.</param>
/// <param name="DataPlaneUrls">Overrides <c>listeners.dataPlane</c> when given.</param>
/// <param name="AdminUrls">Overrides <c>listeners.admin</c> when given.</param>
internal sealed record ServeSettings(string ConfigPath, IReadOnlyList<ListenAddress>? DataPlaneUrls = null, IReadOnlyList<ListenAddress>? AdminUrls = null);
