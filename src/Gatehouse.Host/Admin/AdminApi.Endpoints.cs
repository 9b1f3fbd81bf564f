using Gatehouse.Engine.Models;
using Gatehouse.Engine.Policy;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>
/// Endpoints: the configured ones and those created here. Creating one is itself the action
/// <c>endpoint:Create</c> with <c>gate:RequestedRegion</c>, judged by the policies that apply.
/// </summary>
internal static partial class AdminApi
{
    private static void MapEndpoints(RouteGroupBuilder admin)
    {
        admin.MapGet("/endpoints", (ConfigurationState configuration, IdentityState identity, GatewayEnvironment environment) =>
            configuration.Current.Models.Endpoints.Select(e => EndpointView.From(e))
                .Concat(identity.Current.Data.Endpoints.Select(e => EndpointView.From(e.Resolve(environment.Read), e))).ToList()).WithMetadata(AdminAccess.Read);
        admin.MapPost("/endpoints", CreateEndpointAsync).WithMetadata(AdminAccess.Manage);
    }

    private static async Task<IResult> CreateEndpointAsync(CreateEndpointRequest request, HttpContext context, ConfigurationState configuration,
        IdentityAdministration administration, IdentityState identity, GatewayEnvironment environment, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = configuration.Current;
        var id = Required(request.Id, "id");
        if (!OperatorChosenId().IsMatch(id))
        {
            throw Invalid("id", "must be lower-case letters, digits and '-', e.g. llama-eu-central-2");
        }
        if (current.Models.Endpoints.Any(e => e.Id == id))
        {
            throw Engine.Identity.IdentityOperationException.Conflict($"There is already an endpoint {id} in the configuration.");
        }
        var modelId = Required(request.Model, "model");
        if (!current.Models.TryResolve(modelId, out var model) || model.Id != modelId)
        {
            throw Invalid("model", model is null ? $"'{modelId}' is not a configured model" : $"'{modelId}' is an alias; name the model by its id, {model.Id}");
        }
        var region = Required(request.Region, "region");
        var provider = ApiDialects.TryParse(request.Provider, out var parsed) ? parsed : throw Invalid("provider", "must be anthropic or openai");
        var baseUrl = Uri.TryCreate(Required(request.BaseUrl, "baseUrl"), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw Invalid("baseUrl", "must be an absolute http or https address, e.g. http://10.0.0.5:8000");
        var organization = Optional(request.OrganizationId, "organizationId");

        var policies = identity.Effective(current.Policies);
        if (policies.AppliesTo(organization))
        {
            var asked = new PolicyRequest
            {
                Action = PolicyActions.EndpointCreate,
                Resource = PolicyResources.Endpoint(region, model.Id),
                RequestedRegion = region,
                Model = model.Id,
                ModelClassification = model.Classification,
                Organization = organization,
                CurrentTime = time.GetUtcNow(),
            };
            var verdict = policies.Evaluate(asked, organization);
            if (!verdict.IsAllowed)
            {
                var why = verdict.Evaluation.Statement is { } statement ? $"is refused by statement {statement} of {verdict.Level}" : $"is allowed by no statement of {verdict.Level}";
                return Results.Problem(title: "Refused by policy", statusCode: StatusCodes.Status403Forbidden,
                    detail: $"endpoint:Create for {model.Id} in {region} {why}.");
            }
        }
        var terms = new StoredEndpoint(id, model.Id, provider, baseUrl, region, Optional(request.UpstreamModel, "upstreamModel"), Optional(request.ApiKeyEnv, "apiKeyEnv"),
            organization, default, "");
        var endpoint = await administration.ApplyAsync(snapshot => administration.Operations.CreateEndpoint(snapshot, AdminAuthentication.ActorOf(context), terms), cancellationToken);
        return Results.Created("/admin/v1/endpoints", EndpointView.From(endpoint.Resolve(environment.Read), endpoint));
    }
}
