using System.Diagnostics;
using System.Net;
using Gatehouse.Engine.Configuration;

namespace Gatehouse.Host.Forwarding;

/// <summary>
/// One long-lived <see cref="HttpMessageInvoker"/> for all upstream traffic, so connections are
/// pooled and reused; rebuilt only when the upstream settings change on reload.
/// </summary>
internal sealed class UpstreamInvoker
{
    private sealed record Entry(UpstreamSettings Settings, HttpMessageInvoker Invoker);

    private Entry? _current;
    private readonly Lock _gate = new();

    public HttpMessageInvoker For(UpstreamSettings settings)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Settings == settings)
        {
            return current.Invoker;
        }
        lock (_gate)
        {
            if (_current is not null && _current.Settings == settings)
            {
                return _current.Invoker;
            }
            // The previous invoker is left to finish its in-flight requests; its idle
            // connections close on their own timeout.
            var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                ConnectTimeout = settings.ConnectTimeout,
                EnableMultipleHttp2Connections = true,
                // Trace context is the gateway's business, not the upstream's.
                ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            }, disposeHandler: true);
            Volatile.Write(ref _current, new Entry(settings, invoker));
            return invoker;
        }
    }
}
