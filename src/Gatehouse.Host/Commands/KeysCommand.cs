using System.CommandLine;
using System.CommandLine.Parsing;
using Gatehouse.Engine.Configuration;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse keys create|list|show|rotate|revoke</c>.</summary>
internal static class KeysCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var account = new Option<string>("--account") { Description = "The account the key belongs to (acc_…).", Required = true };
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. ci or laptop.", Required = true };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working, as an ISO 8601 time such as 2030-01-31T00:00:00Z." };
        var networks = new Option<string[]>("--allow-network")
        {
            Description = "A network (CIDR) or address the key may be used from; repeat for several. Without it, anywhere.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rateLimit = new Option<RateLimitView?>("--rate-limit")
        {
            Description = "At most this many requests per window, written REQUESTS/WINDOW, e.g. 60/1m or 1000/1h.",
            CustomParser = ParseRateLimit,
        };
        var create = admin.Calls(new Command("create", "Create a data-plane API key. The key is shown once, now.") { account, name, expires, networks, rateLimit }, json.CreatedApiKey,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("keys"),
                new CreateApiKeyRequest(parse.GetValue(account), parse.GetValue(name), parse.GetValue(expires), parse.GetValue(networks), parse.GetValue(rateLimit)),
                json.CreateApiKeyRequest, json.CreatedApiKey, cancellationToken),
            created => admin.WriteSecretOnce($"Created key [bold]{created.Id}[/] ({created.Name}) for {created.AccountId}.", "key", created.Key));

        var filter = new Option<string?>("--account") { Description = "Only keys of this account." };
        var list = admin.Lists(new Command("list", "List keys (their ids, which are the keys' visible prefixes; never the secrets).") { filter }, json.ListApiKeyView,
            parse => AdminPaths.Query("keys", ("accountId", parse.GetValue(filter))),
            ["Id (prefix)", "Account", "Name", "Status", "Expires", "Networks", "Rate limit"],
            k => [k.Id, k.AccountId, k.Name, k.Status, AdminOutput.Time(k.ExpiresAt), Networks(k), Describe(k.RateLimit)]);

        var show = admin.Shows("keys", "key (its gh_… prefix, as keys list shows it)", "Show a key's status, limits and history (never its secret).", json.ApiKeyView,
            key => AdminOutput.WriteDetails(admin.Context.Console,
                ("Id", key.Id),
                ("Account", key.AccountId),
                ("Name", key.Name),
                ("Status", key.Status),
                ("Created", AdminOutput.Time(key.CreatedAt)),
                ("Expires", AdminOutput.Time(key.ExpiresAt)),
                ("Revoked", AdminOutput.Time(key.RevokedAt)),
                ("Replaced by", key.ReplacedBy),
                ("Networks", Networks(key)),
                ("Rate limit", Describe(key.RateLimit))));

        var rotated = AdminArguments.Id("key to replace");
        var grace = new Option<string?>("--grace") { Description = "How long the old key keeps working, e.g. 24h (the server's default) or 0s." };
        grace.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !Duration.TryParse(text, out _))
            {
                result.AddError($"--grace: '{text}' is not a duration such as 30m, 24h or 7d.");
            }
        });
        var rotate = new Command("rotate", "Issue a successor with the same account, name and limits; the old key keeps working for the grace period.") { rotated, grace };
        rotate.SetAction((parse, cancellationToken) => admin.RunAsync(parse, async client =>
        {
            var oldId = parse.GetValue(rotated)!;
            var successor = await client.PostAsync(AdminPaths.Of("keys", oldId, "rotate"), new RotateKeyRequest(parse.GetValue(grace)),
                json.RotateKeyRequest, json.CreatedApiKey, cancellationToken);
            if (admin.WriteJsonIfAsked(parse, successor, json.CreatedApiKey))
            {
                return;
            }
            admin.WriteSecretOnce($"Rotated key [bold]{oldId}[/]: its successor is [bold]{successor.Id}[/] ({successor.Name}).", "new key", successor.Key);
            // The server caps the grace period at the old key's own expiry, so ask it rather than add the grace to the local clock.
            var old = await client.GetAsync(AdminPaths.Of("keys", oldId), json.ApiKeyView, cancellationToken);
            admin.Context.Console.MarkupLineInterpolated($"The old key {old.Id} works until {AdminOutput.Time(old.ExpiresAt)}; move its clients to the new one before then.");
        }));

        var revoked = AdminArguments.Id("key to revoke");
        var comment = AdminArguments.Comment(required: false);
        var revoke = admin.Calls(new Command("revoke", "Revoke a key at once, for good.") { revoked, comment }, json.ApiKeyView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("keys", parse.GetValue(revoked), "revoke"), new CommentRequest(parse.GetValue(comment)),
                json.CommentRequest, json.ApiKeyView, cancellationToken),
            key => admin.Context.Console.MarkupLineInterpolated($"Revoked key [bold]{key.Id}[/] ({key.Name}) of {key.AccountId} at {AdminOutput.Time(key.RevokedAt)}."));

        return admin.AddTo(new Command("keys", "Manage data-plane API keys.") { create, list, show, rotate, revoke });
    }

    private static string Networks(ApiKeyView key) => key.AllowedNetworks.Count == 0 ? "anywhere" : string.Join(", ", key.AllowedNetworks);

    private static string Describe(RateLimitView? limit) => limit is null ? "" : $"{limit.Requests}/{limit.Window}";

    /// <summary>Reads <c>60/1m</c>; the same notation <see cref="Describe"/> writes.</summary>
    private static RateLimitView? ParseRateLimit(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var requests) && requests > 0 && Duration.TryParse(parts[1], out var window) && window > TimeSpan.Zero)
        {
            return new RateLimitView(requests, Duration.Format(window));
        }
        result.AddError($"--rate-limit: '{text}' is not REQUESTS/WINDOW with a positive number and a duration, such as 60/1m or 1000/1h.");
        return null;
    }
}
