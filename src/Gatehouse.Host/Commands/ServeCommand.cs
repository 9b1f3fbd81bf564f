using System.CommandLine;
using Gatehouse.Engine.Configuration;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse serve</c>: runs the gateway until stopped.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config", "-c") { Description = "The configuration file.", DefaultValueFactory = _ => "gatehouse.yaml" };
        var urls = new Option<string?>("--urls") { Description = "Data-plane listen addresses, separated by ';' (overrides listeners.dataPlane)." };
        var adminUrls = new Option<string?>("--admin-urls") { Description = "Admin API listen addresses, separated by ';' (overrides listeners.admin)." };
        var command = new Command("serve", "Run the gateway.") { config, urls, adminUrls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryParseUrls(parse.GetValue(urls), "--urls", context, out var dataPlane) ||
                !TryParseUrls(parse.GetValue(adminUrls), "--admin-urls", context, out var admin))
            {
                return 2;
            }
            WebApplication app;
            try
            {
                app = await GatehouseServer.BuildAsync(new ServeSettings(parse.GetValue(config)!, dataPlane, admin), context.Environment);
            }
            catch (ConfigurationException e)
            {
                await context.Error.WriteLineAsync($"gatehouse: {e.Message}");
                return 1;
            }
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                await context.Error.WriteLineAsync($"gatehouse: cannot listen: {e.Message}");
                return 1;
            }
            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }

    private static bool TryParseUrls(string? text, string option, CliContext context, out IReadOnlyList<ListenAddress>? addresses)
    {
        addresses = null;
        if (text is null)
        {
            return true;
        }
        var parsed = new List<ListenAddress>();
        foreach (var part in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ListenAddress.TryParse(part, out var address, out var error))
            {
                context.Error.WriteLine($"gatehouse: {option}: {error}");
                return false;
            }
            parsed.Add(address);
        }
        addresses = parsed;
        return true;
    }
}
