using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse explain</c>: the decision a request would get, with every rule looked at.</summary>
internal static class ExplainCommand
{
    public static Command Create(AdminOptions admin)
    {
        var model = new Option<string>("--model") { Description = "The model, as a request would name it.", Required = true };
        var ip = new Option<string?>("--ip") { Description = "The caller's address (omit for an unknown location)." };
        var key = new Option<string?>("--key") { Description = "Ask as this API key (gh_…)." };
        var account = new Option<string?>("--account") { Description = "Ask as this account (acc_…)." };
        var api = new Option<string?>("--api") { Description = "The route: anthropic (/v1/messages) or openai (/v1/chat/completions); omit for either." };
        api.AcceptOnlyFromAmong("anthropic", "openai");
        var command = new Command("explain", "Show the decision Gatehouse would make for a request, and why.") { model, ip, key, account, api };
        command.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var request = new ExplainRequest(parse.GetValue(ip), parse.GetValue(key), parse.GetValue(account), parse.GetValue(model), parse.GetValue(api));
            var decision = await client.PostAsync("/admin/v1/decisions/explain", request,
                AdminJsonContext.Default.ExplainRequest, AdminJsonContext.Default.DecisionView, cancellationToken);
            if (admin.WriteJsonIfAsked(parse, decision, AdminJsonContext.Default.DecisionView))
            {
                return;
            }
            var console = admin.Context.Console;
            var colour = decision.Effect == "allow" ? "green" : "red";
            console.MarkupLineInterpolated($"[{colour} bold]{decision.Effect.ToUpperInvariant()}[/] {decision.ReasonCode} (HTTP {decision.Status}) by {decision.Layer} rule {decision.Rule}");
            console.MarkupLineInterpolated($"{decision.Message}");
            if (decision.LicenseNumber is not null)
            {
                console.MarkupLineInterpolated($"Under export licence [bold]{decision.LicenseNumber}[/] ({decision.LicenseId}).");
            }
            var trace = new Table().AddColumns("Layer", "Rule", "Outcome", "Detail");
            foreach (var entry in decision.Trace)
            {
                trace.AddRow(Markup.Escape(entry.Layer), Markup.Escape(entry.Rule), Markup.Escape(entry.Outcome), Markup.Escape(entry.Detail));
            }
            console.Write(trace);
        }));
        return admin.AddTo(command);
    }
}
