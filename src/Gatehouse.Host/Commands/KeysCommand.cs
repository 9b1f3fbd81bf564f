using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse keys create|list</c>.</summary>
internal static class KeysCommand
{
    public static Command Create(AdminOptions admin)
    {
        var account = new Option<string>("--account") { Description = "The account the key belongs to (acc_…).", Required = true };
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. ci or laptop.", Required = true };
        var create = new Command("create", "Create a data-plane API key. The key is shown once, now.") { account, name };
        create.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var created = await client.PostAsync("/admin/v1/keys", new CreateApiKeyRequest(parse.GetValue(account), parse.GetValue(name)),
                AdminJsonContext.Default.CreateApiKeyRequest, AdminJsonContext.Default.CreatedApiKey, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, created, AdminJsonContext.Default.CreatedApiKey))
            {
                var console = admin.Context.Console;
                console.MarkupLineInterpolated($"Created key [bold]{created.Id}[/] ({created.Name}) for {created.AccountId}.");
                console.MarkupLine("The key is shown this once; only its hash is stored:");
                admin.Context.WriteLine(created.Key);
            }
        }));

        var filter = new Option<string?>("--account") { Description = "Only keys of this account." };
        var list = new Command("list", "List keys (their ids, which are the keys' visible prefixes; never the secrets).") { filter };
        list.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var query = parse.GetValue(filter) is { } id ? $"?accountId={Uri.EscapeDataString(id)}" : "";
            var keys = await client.GetAsync("/admin/v1/keys" + query, AdminJsonContext.Default.ListApiKeyView, cancellationToken);
            if (!admin.WriteJsonIfAsked(parse, keys, AdminJsonContext.Default.ListApiKeyView))
            {
                var table = new Table().AddColumns("Id (prefix)", "Account", "Name", "Created");
                keys.ForEach(k => table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.AccountId), Markup.Escape(k.Name), k.CreatedAt.ToString("u")));
                admin.Context.Console.Write(table);
            }
        }));

        return admin.AddTo(new Command("keys", "Manage data-plane API keys.") { create, list });
    }
}
