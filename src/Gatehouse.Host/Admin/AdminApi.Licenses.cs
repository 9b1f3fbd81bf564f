using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Licensing;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>Export licences: granted, listed, shown and revoked, each change audited.</summary>
internal static partial class AdminApi
{
    private static void MapLicenses(RouteGroupBuilder admin)
    {
        admin.MapGet("/licenses", ListLicenses).WithMetadata(AdminAccess.Read);
        admin.MapGet("/licenses/{id}", (string id, IdentityState identity, TimeProvider time) =>
            identity.Current.TryGetLicense(id, out var l) ? Results.Ok(LicenseView.From(l, time.GetUtcNow())) : NotFound($"There is no licence {id}.")).WithMetadata(AdminAccess.Read);
        admin.MapPost("/licenses", GrantLicenseAsync).WithMetadata(AdminAccess.Manage);
        admin.MapPost("/licenses/{id}/revoke", RevokeLicenseAsync).WithMetadata(AdminAccess.Manage);
    }

    private static IResult ListLicenses(string? organizationId, string? status, IdentityState identity, TimeProvider time)
    {
        LicenseStatus? only = null;
        if (status is not null)
        {
            only = EnumNames<LicenseStatus>.TryParse(status, out var parsed) ? parsed : throw Invalid("status", $"must be one of {string.Join(", ", EnumNames<LicenseStatus>.All)}");
        }
        var now = time.GetUtcNow();
        return Results.Ok(identity.Current.Data.Licenses
            .Where(l => (organizationId is null || l.OrganizationId == organizationId) && (only is null || l.StatusAt(now) == only))
            .Select(l => LicenseView.From(l, now)).ToList());
    }

    private static async Task<IResult> GrantLicenseAsync(GrantLicenseRequest request, HttpContext context, IdentityAdministration administration, ConfigurationState configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var number = Required(request.Number, "number");
        var organizationId = Required(request.OrganizationId, "organizationId");
        var current = configuration.Current;
        var models = Listed(request.Models, "models", "model ids or patterns, e.g. [\"mythos-5\"] or [\"mythos-*\"]", (model, field) => model switch
        {
            _ when ExportLicense.IsModelPattern(model) => model,
            _ when current.Models.TryResolve(model, out var known) && known.Id == model => model,
            _ when current.Models.TryResolve(model, out var aliased) => throw Invalid(field, $"'{model}' is an alias; name the model by its id, {aliased.Id}"),
            _ => throw Invalid(field, $"'{model}' is not a configured model; give a model id or a pattern with *"),
        });
        var countries = Listed(request.Countries, "countries", "ISO 3166-1 alpha-2 codes, e.g. [\"GB\"]", (code, field) =>
            Jurisdictions.FirstContainingCountry(current.Geo.Embargo, Engine.Geo.CountrySet.IndexOf(code = Country(code, field)!)) is { } embargo
                ? throw Invalid(field, $"{code} is in embargoed jurisdiction '{embargo.Key}'; a licence never lifts an embargo")
                : code);
        var validFrom = request.ValidFrom ?? time.GetUtcNow();
        var validTo = request.ValidTo ?? throw Invalid("validTo", "is required: the instant the licence ends, e.g. 2027-12-31T23:59:59Z");
        var terms = new ExportLicense("", number, organizationId, models, countries, validFrom, validTo, validFrom) { Note = Optional(request.Note, "note") };
        var license = await administration.ApplyAsync(snapshot => administration.Operations.GrantLicense(snapshot, AdminAuthentication.ActorOf(context), terms), cancellationToken);
        return Results.Created($"/admin/v1/licenses/{license.Id}", LicenseView.From(license, time.GetUtcNow()));
    }

    private static async Task<IResult> RevokeLicenseAsync(string id, CommentRequest request, HttpContext context, IdentityAdministration administration, TimeProvider time, CancellationToken cancellationToken)
    {
        var comment = Required(request.Comment, "comment");
        var license = await administration.ApplyAsync(snapshot => administration.Operations.RevokeLicense(snapshot, AdminAuthentication.ActorOf(context), id, comment), cancellationToken);
        return Results.Ok(LicenseView.From(license, time.GetUtcNow()));
    }

    /// <summary>A required, non-empty list whose items are each checked by <paramref name="check"/>, duplicates dropped.</summary>
    private static IReadOnlyList<string> Listed(IReadOnlyList<string?>? items, string field, string expected, Func<string, string, string> check)
    {
        if (items is not { Count: > 0 })
        {
            throw Invalid(field, $"is required: {expected}");
        }
        return [.. items.Select((item, i) => check(Required(item, $"{field}[{i}]"), $"{field}[{i}]")).Distinct(StringComparer.Ordinal)];
    }
}
