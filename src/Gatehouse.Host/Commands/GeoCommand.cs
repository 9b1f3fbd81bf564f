using System.CommandLine;
using System.Net;
using System.Text.Json;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary>
/// <c>gatehouse geo lookup</c>: where the gateway would place addresses, read offline from the
/// GeoIP files a configuration names, so it answers the same way the gateway does.
/// </summary>
internal static class GeoCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<string>("--config", "-c") { Description = "The configuration file whose GeoIP data and jurisdictions to use.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var addresses = new Argument<string[]>("address") { Description = "IPv4 or IPv6 addresses.", Arity = ArgumentArity.OneOrMore };
        var lookup = new Command("lookup", "Show country, ASN, network, network type and jurisdictions of addresses.") { file, json, addresses };
        lookup.SetAction(async parse =>
        {
            var parsed = new List<IPAddress>();
            foreach (var text in parse.GetValue(addresses)!)
            {
                if (!IPAddress.TryParse(text, out var address))
                {
                    await context.Error.WriteLineAsync($"'{text}' is not an IP address");
                    return 1;
                }
                parsed.Add(address);
            }
            if (await context.LoadConfigurationAsync(parse.GetValue(file)!) is not { } configuration)
            {
                return 1;
            }
            if (configuration.Geo.Sources.IsEmpty)
            {
                await context.Error.WriteLineAsync($"{configuration.SourcePath} configures no GeoIP data (geo.databases)");
                return 1;
            }
            GeoIpData data;
            try
            {
                data = GeoIpLoader.Load(configuration.Geo.Sources);
            }
            catch (GeoDataException e)
            {
                await context.Error.WriteLineAsync(e.Message);
                return 1;
            }
            var views = parsed.Select(address => View(address, configuration.Geo.Place(data.Locate(address)), configuration)).ToList();
            if (parse.GetValue(json))
            {
                context.WriteLine(JsonSerializer.Serialize<IReadOnlyList<GeoLookupView>>(views, AdminJsonContext.Default.IReadOnlyListGeoLookupView));
                return 0;
            }
            var table = new Table().AddColumns("Address", "Country", "ASN", "Network", "Type", "Jurisdictions");
            foreach (var view in views)
            {
                table.AddRow(
                    Markup.Escape(view.Address),
                    Markup.Escape(view.Subdivision ?? view.Country ?? "unknown"),
                    view.Asn is { } asn ? $"AS{asn}" : "",
                    Markup.Escape(view.NetworkName ?? ""),
                    view.NetworkType,
                    Markup.Escape(string.Join(", ", view.Jurisdictions)));
            }
            context.Console.Write(table);
            foreach (var view in views.Where(v => v.Note is not null))
            {
                context.Console.MarkupLineInterpolated($"{view.Address}: location unknown: {view.Note}");
            }
            return 0;
        });
        return new Command("geo", "Look up addresses in the GeoIP data.") { lookup };
    }

    private static GeoLookupView View(IPAddress address, GeoLocation location, GatewayConfiguration configuration) => new(
        address.ToString(), location.Country, location.Subdivision, location.Asn > 0 ? location.Asn : null, location.NetworkName,
        location.NetworkTypeName, [.. configuration.Jurisdictions.Where(j => j.Contains(location)).Select(j => j.Key)], location.Note);
}
