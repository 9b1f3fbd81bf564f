using System.Net;
using Gatehouse.Engine.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// Binds each plane's listeners and remembers them, so the actual ports are known once the
/// server has started (a listener may ask for port 0).
/// </summary>
internal sealed class BoundListeners
{
    private readonly List<(Plane Plane, ListenOptions Options)> _listeners = [];

    public void Listen(KestrelServerOptions kestrel, IEnumerable<ListenAddress> addresses, Plane plane)
    {
        foreach (var address in addresses)
        {
            kestrel.Listen(address.BindAddress, address.Port, options =>
            {
                options.Use(Planes.Tag(plane));
                _listeners.Add((plane, options));
            });
        }
    }

    /// <summary>The bound endpoints of a plane; valid after the server has started.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints(Plane plane) =>
        [.. _listeners.Where(l => l.Plane == plane).Select(l => l.Options.IPEndPoint!)];
}
