namespace Gatehouse.Engine.Models;

/// <summary>
/// An endpoint created through the admin API rather than the configuration file: it serves its
/// model beside the configured ones, after them in order. Its creation was an
/// <c>endpoint:Create</c> the policies allowed.
/// </summary>
/// <param name="OrganizationId">The organisation whose policies the creation was judged under, if one was named.</param>
/// <param name="CreatedBy">The admin token (<c>gha_… (role)</c>) that created it.</param>
public sealed record StoredEndpoint(
    string Id,
    string ModelId,
    ApiDialect Provider,
    Uri BaseUrl,
    string Region,
    string? UpstreamModel,
    string? ApiKeyVariable,
    string? OrganizationId,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>The endpoint as routing uses it, its upstream key read through <paramref name="environment"/>.</summary>
    public EndpointDefinition Resolve(Func<string, string?> environment) => new()
    {
        Id = Id,
        ModelId = ModelId,
        Provider = Provider,
        BaseUrl = BaseUrl,
        Region = Region,
        UpstreamModel = UpstreamModel ?? ModelId,
        ApiKeyVariable = ApiKeyVariable,
        ApiKey = ApiKeyVariable is null ? null : environment(ApiKeyVariable),
    };
}

/// <summary>Where routing learns of the endpoints created at run time.</summary>
public interface IStoredEndpoints
{
    /// <summary>The model's stored endpoints in the order they were created.</summary>
    IReadOnlyList<EndpointDefinition> EndpointsOf(string modelId);
}
