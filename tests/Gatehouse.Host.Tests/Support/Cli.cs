using Gatehouse.Host.Admin;
using Gatehouse.Host.Commands;
using Gatehouse.Host.Hosting;
using Spectre.Console.Testing;

namespace Gatehouse.Host.Tests.Support;

/// <summary>The CLI run in-process on a wide test console, against <paramref name="gateway"/>'s admin API when one is given.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(GatewayInstance? gateway, params string[] arguments)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        var error = new StringWriter();
        var environment = new GatewayEnvironment(name => (name, gateway) switch
        {
            (AdminOptions.UrlVariable, not null) => gateway.AdminUrl.ToString(),
            (AdminOptions.TokenVariable, not null) => gateway.AdminToken,
            _ => null,
        });
        var exitCode = await GatehouseCli.Create(new CliContext(console, error, environment)).Parse(arguments)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = error, Output = console.Profile.Out.Writer });
        return (exitCode, console.Output, error.ToString());
    }
}
