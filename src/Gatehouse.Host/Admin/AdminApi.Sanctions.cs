using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Host.Admin;

/// <summary>Sanctions lists: versions imported, a new version uploaded (then everyone re-screened), and screening a name.</summary>
internal static partial class AdminApi
{
    /// <summary>A full list in JSON is a few megabytes; this leaves room for the largest published ones.</summary>
    private const long MaxListUpload = 200_000_000;
    private const int MaxScreeningResults = 50;

    private static void MapSanctions(RouteGroupBuilder admin)
    {
        admin.MapGet("/sanctions/lists", (SanctionsState lists) => Results.Ok(VersionsOf(lists))).WithMetadata(AdminAccess.Read);
        admin.MapPost("/sanctions/lists", ImportSanctionsListAsync).WithMetadata(AdminAccess.Manage, new RequestSizeLimitAttribute(MaxListUpload));
        // A question, not a change: every role may ask it.
        admin.MapPost("/sanctions/screen", Screen).WithMetadata(AdminAccess.Read);
    }

    private static List<SanctionsVersionView> VersionsOf(SanctionsState lists)
    {
        var current = lists.Data.InForce.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        return [.. lists.Data.Versions.Reverse().Select(v => SanctionsVersionView.From(v, current.Contains(v.Id)))];
    }

    private static async Task<IResult> ImportSanctionsListAsync(SanctionsListUpload upload, HttpContext context, SanctionsState lists, SanctionsScreening screening,
        IdentityAdministration administration, CancellationToken cancellationToken)
    {
        var list = ListOf(upload);
        var version = await lists.ImportAsync(list, AdminAuthentication.ActorOf(context), cancellationToken);
        var screened = 0;
        var flags = await administration.ApplyAsync(async snapshot =>
        {
            screened = snapshot.Data.Accounts.Count(a => a.Status != AccountStatus.Closed);
            var change = await screening.ScreenEveryoneAsync(snapshot, cancellationToken);
            return new IdentityOperations.Outcome<IReadOnlyList<Flag>>(change ?? new IdentityChange(), change?.Flags ?? []);
        }, cancellationToken);
        return Results.Created($"/admin/v1/sanctions/lists", new SanctionsImportView(SanctionsVersionView.From(version, current: true), screened, [.. flags.Select(FlagView.From)]));
    }

    private static IResult Screen(ScreenRequest request, SanctionsState lists, ConfigurationState configuration)
    {
        var name = Required(request.Name, "name");
        var country = Country(request.Country, "country");
        var threshold = request.Threshold ?? configuration.Current.Identity.Sanctions.Threshold;
        if (threshold is <= 0 or > 1)
        {
            throw Invalid("threshold", "must be a score above 0 and at most 1");
        }
        var limit = request.Limit ?? 10;
        if (limit is < 1 or > MaxScreeningResults)
        {
            throw Invalid("limit", $"must be between 1 and {MaxScreeningResults}");
        }
        var city = Optional(request.City, "city");
        var index = lists.Index;
        var matches = index.Screen(name, country, threshold, limit);
        return Results.Ok(new ScreenResultView(name, country, threshold, index.EntryCount, [.. matches.Select(m => ScreeningMatchView.From(m, city))]));
    }

    /// <summary>The upload as a list, every field checked: a list that reaches the store is one the screening can trust.</summary>
    private static SanctionsList ListOf(SanctionsListUpload upload)
    {
        var source = Required(upload.Source, "source");
        if (!SanctionsSources.All.Contains(source))
        {
            throw Invalid("source", $"'{source}' is not one of {string.Join(", ", SanctionsSources.All)}");
        }
        if (upload.Entries is not { Count: > 0 } uploaded)
        {
            throw Invalid("entries", $"must not be empty: a version without entries would delist every entry of {source}");
        }
        var entries = new List<SanctionsEntry>(uploaded.Count);
        for (var i = 0; i < uploaded.Count; i++)
        {
            var e = uploaded[i];
            var field = $"entries[{i}]";
            var type = EnumNames<SanctionsEntryType>.TryParse(e.Type, out var parsed)
                ? parsed
                : throw Invalid($"{field}.type", $"must be one of {string.Join(", ", EnumNames<SanctionsEntryType>.All)}");
            entries.Add(new SanctionsEntry(source, Text(e.EntryId, $"{field}.entryId"), type, Text(e.Name, $"{field}.name"))
            {
                Aliases = [.. (e.Aliases ?? []).Select((a, j) => Text(a, $"{field}.aliases[{j}]"))],
                Countries = [.. (e.Countries ?? []).Select((c, j) => Countries.IsKnown(c ?? "") ? c! : throw Invalid($"{field}.countries[{j}]", $"'{c}' is not an ISO 3166-1 alpha-2 country code"))],
                Addresses = [.. (e.Addresses ?? []).Select((a, j) => Text(a, $"{field}.addresses[{j}]"))],
                Programs = string.IsNullOrWhiteSpace(e.Programs) ? null : e.Programs.Trim(),
                Remarks = string.IsNullOrWhiteSpace(e.Remarks) ? null : e.Remarks.Trim(),
            });
        }
        return new SanctionsList(source, upload.Published, entries, [.. (upload.Files ?? []).OfType<string>().Where(f => !string.IsNullOrWhiteSpace(f))]);

        // List text is not capped like the names people type, and must stay on one line: the store keeps one item per line.
        static string Text(string? value, string field) => value?.Trim() switch
        {
            null or "" => throw Invalid(field, "is required"),
            var text when text.Contains('\n') => throw Invalid(field, "must be one line"),
            var text => text,
        };
    }
}
