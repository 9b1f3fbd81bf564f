using Yarp.ReverseProxy.Forwarder;

// The load test's yardstick: YARP forwarding everything, with nothing in front of it. Whatever
// Gatehouse costs beyond this is the price of its decisions. Usage:
//   BareProxy --upstream http://127.0.0.1:18000 --urls http://127.0.0.1:18001

var builder = WebApplication.CreateSlimBuilder(args);
var upstream = builder.Configuration["upstream"];
if (!Uri.TryCreate(upstream, UriKind.Absolute, out var upstreamUri) || upstreamUri.Scheme is not ("http" or "https"))
{
    await Console.Error.WriteLineAsync("BareProxy: --upstream must be an http(s) URL, e.g. --upstream http://127.0.0.1:18000");
    return 2;
}

// The same logging and server settings as Gatehouse, so the comparison is of the work done per
// request and not of how much either writes to the console.
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Yarp", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddHttpForwarder();

var app = builder.Build();
app.MapForwarder("/{**catch-all}", upstreamUri.ToString());
await app.RunAsync();
return 0;
