using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Models;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>The configured models and their kill switches.</summary>
internal static partial class AdminApi
{
    private static void MapModels(RouteGroupBuilder admin)
    {
        admin.MapGet("/models", (ConfigurationState configuration, IdentityState identity) =>
            configuration.Current.Models.All.Select(m => ModelView.From(m, identity.Current.DisabledSwitch(m.Id))).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapPost("/models/{id}/disable", async (string id, DisableModelRequest request, HttpContext context, ConfigurationState configuration,
            IdentityAdministration administration, CancellationToken cancellationToken) =>
            await SwitchModelAsync(id, disabled: true, Required(request.Reason, "reason"), context, configuration, administration, cancellationToken)).WithMetadata(AdminAccess.Manage);
        admin.MapPost("/models/{id}/enable", async (string id, CommentRequest request, HttpContext context, ConfigurationState configuration,
            IdentityAdministration administration, CancellationToken cancellationToken) =>
            await SwitchModelAsync(id, disabled: false, Optional(request.Comment, "comment") ?? "enabled", context, configuration, administration, cancellationToken)).WithMetadata(AdminAccess.Manage);
    }

    /// <param name="id">A model id or alias; the switch is kept under the id.</param>
    private static async Task<IResult> SwitchModelAsync(string id, bool disabled, string reason, HttpContext context, ConfigurationState configuration,
        IdentityAdministration administration, CancellationToken cancellationToken)
    {
        if (!configuration.Current.Models.TryResolve(id, out var model))
        {
            return NotFound($"There is no model {id} in the configuration.");
        }
        var result = await administration.ApplyAsync(snapshot => administration.Operations.SwitchModel(
            snapshot, AdminAuthentication.ActorOf(context), model.Id, disabled, reason), cancellationToken);
        return Results.Ok(ModelView.From(model, result.Disabled ? result : null));
    }
}
