using System.CommandLine;
using Gatehouse.Host.Admin;
using Spectre.Console;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse endpoints list|create</c>: where models are served; creating one is checked against the policies.</summary>
internal static class EndpointsCommand
{
    public static Command Create(AdminOptions admin)
    {
        var json = AdminJsonContext.Default;

        var list = admin.Lists(new Command("list", "List the configured endpoints and those created through the admin API."), json.ListEndpointView,
            _ => AdminPaths.Of("endpoints"),
            ["Id", "Model", "Region", "Provider", "Base URL", "Source", "Usable"],
            e => [e.Id, e.Model, e.Region, e.Provider, e.BaseUrl, e.OrganizationId is null ? e.Source : $"{e.Source} ({e.OrganizationId})", e.Usable ? "yes" : $"no: {e.ApiKeyEnv} not set"]);

        var id = new Option<string>("--id") { Description = "The endpoint's id, e.g. llama-eu-central-2.", Required = true };
        var model = new Option<string>("--model") { Description = "The model's id.", Required = true };
        var region = new Option<string>("--region") { Description = "Where it runs, e.g. eu-central; the policies judge it as gate:RequestedRegion.", Required = true };
        var provider = new Option<string>("--provider") { Description = "anthropic, or openai for any OpenAI-compatible server.", Required = true };
        provider.AcceptOnlyFromAmong("anthropic", "openai");
        var baseUrl = new Option<string>("--base-url") { Description = "The upstream's address; the request path is appended.", Required = true };
        var upstreamModel = new Option<string?>("--upstream-model") { Description = "The model name the upstream expects (default: the model id)." };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "The gateway's environment variable holding the upstream key; omit for keyless servers." };
        var organization = new Option<string?>("--org") { Description = "The organisation it is for: its policies judge the creation too." };
        var create = admin.Calls(new Command("create", "Create an endpoint (the action endpoint:Create, checked against the policies).")
            { id, model, region, provider, baseUrl, upstreamModel, apiKeyEnv, organization }, json.EndpointView,
            (parse, client, cancellationToken) => client.PostAsync(AdminPaths.Of("endpoints"),
                new CreateEndpointRequest(parse.GetValue(id), parse.GetValue(model), parse.GetValue(region), parse.GetValue(provider), parse.GetValue(baseUrl),
                    parse.GetValue(upstreamModel), parse.GetValue(apiKeyEnv), parse.GetValue(organization)),
                json.CreateEndpointRequest, json.EndpointView, cancellationToken),
            endpoint => admin.Context.Console.MarkupLineInterpolated($"Created endpoint [bold]{endpoint.Id}[/]: {endpoint.Model} in {endpoint.Region}."));

        return admin.AddTo(new Command("endpoints", "List and create endpoints.") { list, create });
    }
}
