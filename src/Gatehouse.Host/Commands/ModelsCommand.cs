using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse models list|disable|enable</c>: the configured models and their kill switches.</summary>
internal static class ModelsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var list = admin.Lists(new Command("list", "List the configured models and whether they are switched off."), json.ListModelView,
            _ => AdminPaths.Of("models"),
            ["Id", "Classification", "Allowed", "Denied", "Endpoints", "State"],
            m => [m.Id, m.Classification, string.Join(", ", m.AllowedJurisdictions), string.Join(", ", m.DeniedJurisdictions), string.Join(", ", m.Endpoints),
                m.Disabled ? $"disabled since {AdminOutput.Time(m.DisabledAt)} by {m.DisabledBy}: {m.DisabledReason}" : "enabled"]);

        var disabled = new Argument<string>("model") { Description = "The model's id or alias." };
        var reason = new Option<string>("--reason") { Description = "Why (required); callers are shown it while the model is off.", Required = true };
        var disable = admin.Calls(new Command("disable", "Switch a model off for everyone, from the next request (the kill switch).") { disabled, reason }, json.ModelView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("models", parse.GetValue(disabled), "disable"), new DisableModelRequest(parse.GetValue(reason)),
                json.DisableModelRequest, json.ModelView, cancellationToken),
            model => admin.Context.Console.MarkupLineInterpolated($"Disabled [bold]{model.Id}[/]: every request for it is refused with model.disabled."));

        var enabled = new Argument<string>("model") { Description = "The model's id or alias." };
        var comment = AdminArguments.Comment(required: false);
        var enable = admin.Calls(new Command("enable", "Switch a disabled model back on.") { enabled, comment }, json.ModelView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("models", parse.GetValue(enabled), "enable"), new CommentRequest(parse.GetValue(comment)),
                json.CommentRequest, json.ModelView, cancellationToken),
            model => admin.Context.Console.MarkupLineInterpolated($"Enabled [bold]{model.Id}[/] again."));

        return admin.AddTo(new Command("models", "List models and switch them off or on.") { list, disable, enable });
    }
}
