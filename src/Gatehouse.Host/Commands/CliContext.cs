using Gatehouse.Engine.Configuration;
using Gatehouse.Host.Hosting;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary>What commands write to and read from, injected so tests can run them in-process.</summary>
/// <param name="Console">Results for people (tables) or scripts (<c>--json</c>).</param>
/// <param name="Error">Problems, kept off standard output so that <c>--json</c> output stays parseable.</param>
/// <param name="Environment">Environment variables (admin URL and token, upstream keys).</param>
/// <param name="AdminHandler">The HTTP handler for admin API calls; null for a plain one.</param>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Error, GatewayEnvironment Environment, HttpMessageHandler? AdminHandler = null)
{
    /// <summary>A plain line, unwrapped: for output that scripts and copy-paste rely on (keys, JSON).</summary>
    public void WriteLine(string text) => Console.Profile.Out.Writer.WriteLine(text);

    /// <summary>Loads a configuration file the way <c>serve</c> does; when it is invalid, prints every error and returns null.</summary>
    public async Task<GatewayConfiguration?> LoadConfigurationAsync(string path)
    {
        var result = ConfigurationLoader.Load(path, Environment.Read);
        foreach (var error in result.Errors)
        {
            await Error.WriteLineAsync(error.ToString());
        }
        return result.Configuration;
    }
}
