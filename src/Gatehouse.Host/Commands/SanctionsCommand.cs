using System.CommandLine;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse sanctions import|lists|screen</c>.</summary>
internal static class SanctionsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var path = new Argument<string>("path") { Description = "A folder holding a list's published files (e.g. sdn.csv with alt.csv, add.csv, sdn_comments.csv), or one file (csl.csv, dpl.txt, the UN XML)." };
        var import = new Command("import", "Import new versions of sanctions lists, then re-screen every account against them.") { path };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var console = admin.Context.Console;
            IReadOnlyList<SanctionsList> lists;
            try
            {
                lists = Read(console, parse.GetValue(path)!);
            }
            catch (Exception e) when (e is SanctionsFormatException or IOException or UnauthorizedAccessException)
            {
                await admin.Context.Error.WriteLineAsync($"gatehouse: {e.Message}");
                return 1;
            }
            return await admin.RunAsync(parse, async client =>
            {
                var imported = new List<SanctionsImportView>();
                foreach (var list in lists)
                {
                    var upload = new SanctionsListUpload(list.Source, list.Published, list.Files, [.. list.Entries.Select(SanctionsEntryUpload.From)]);
                    imported.Add(await console.Status().StartAsync($"Importing {list.Source} ({list.Entries.Count} entries) and re-screening accounts…", _ =>
                        client.PostAsync(AdminPaths.Of("sanctions/lists"), upload, json.SanctionsListUpload, json.SanctionsImportView, cancellationToken)));
                }
                if (admin.WriteJsonIfAsked(parse, imported, json.ListSanctionsImportView))
                {
                    return;
                }
                var table = AdminOutput.Table("Version", "List", "Entries", "Added", "Changed", "Delisted", "Accounts screened", "New flags");
                foreach (var result in imported)
                {
                    var v = result.Version;
                    table.AddCells(v.Id, v.Source, v.Entries.ToString(), v.Added.ToString(), v.Changed.ToString(), v.Delisted.ToString(), result.AccountsScreened.ToString(),
                        result.Flags.Count == 0 ? "none" : string.Join(", ", result.Flags.Select(f => $"{f.Id} ({f.AccountId})")));
                }
                console.Write(table);
            });
        });

        var lists = admin.Lists(new Command("lists", "List the imported versions of each sanctions list, newest first."), json.ListSanctionsVersionView,
            _ => AdminPaths.Of("sanctions/lists"),
            ["Version", "List", "In force", "Imported", "By", "Entries", "Added", "Changed", "Delisted", "Files"],
            v => [v.Id, v.Source, v.Current ? "yes" : "", AdminOutput.Time(v.ImportedAt), v.ImportedBy, v.Entries.ToString(), v.Added.ToString(), v.Changed.ToString(),
                v.Delisted.ToString(), string.Join(", ", v.Files)]);

        var name = new Argument<string>("name") { Description = "The name of a person or organisation, in any order and spelling." };
        var country = new Option<string?>("--country") { Description = "The country it belongs to (ISO 3166-1 alpha-2), as supporting evidence." };
        var city = new Option<string?>("--city") { Description = "The city it is based in, as supporting evidence: matches with an address there are marked." };
        var threshold = new Option<double?>("--threshold") { Description = "The lowest score to report, from 0 to 1 (default: the gateway's configured threshold)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many matches (default 10)." };
        var screen = admin.Calls(new Command("screen", "Screen a name against the sanctions lists in force; matches are ranked by score.") { name, country, city, threshold, limit },
            json.ScreenResultView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("sanctions/screen"),
                new ScreenRequest(parse.GetValue(name), parse.GetValue(country), parse.GetValue(threshold), parse.GetValue(limit), parse.GetValue(city)),
                json.ScreenRequest, json.ScreenResultView, cancellationToken),
            result => Write(admin.Context.Console, result));

        return admin.AddTo(new Command("sanctions", "Import sanctions lists and screen names against them.") { import, lists, screen });
    }

    /// <summary>Reads the files with a progress bar: the full lists are several megabytes.</summary>
    private static IReadOnlyList<SanctionsList> Read(IAnsiConsole console, string path)
    {
        IReadOnlyList<SanctionsList> lists = [];
        console.Progress().Start(context =>
        {
            var task = context.AddTask($"Reading {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", maxValue: 1);
            lists = SanctionsFiles.Read(path, new ProgressTo(task));
            task.Value = 1;
        });
        return lists;
    }

    /// <summary>Moves the bar on the reading thread itself: <see cref="Progress{T}"/> would post to a context this command does not have.</summary>
    private sealed class ProgressTo(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }

    private static void Write(IAnsiConsole console, ScreenResultView result)
    {
        console.MarkupLineInterpolated($"[bold]{result.Name}[/]{(result.Country is null ? "" : $" ({result.Country})")} against {result.ListedEntries} listed entries, threshold {result.Threshold:0.00}:");
        if (result.Matches.Count == 0)
        {
            console.WriteLine("No match.");
            return;
        }
        var table = AdminOutput.Table("Score", "Entry", "Matched name", "Listed as", "Type", "Countries", "Address", "Programmes");
        foreach (var m in result.Matches)
        {
            table.AddCells($"{m.Score:0.000}", m.Entry, m.MatchedName, m.Name, m.Type, string.Join(", ", m.Countries) + (m.CountryMatched ? " (same)" : ""),
                m.AddressMatched ? "same city" : "", m.Programs);
        }
        console.Write(table);
    }
}
