namespace Gatehouse.Engine.Policy;

/// <summary>The actions Gatehouse asks policies about. Policies may name others of the same <c>service:Name</c> shape.</summary>
public static class PolicyActions
{
    /// <summary>A call to a model through the data plane.</summary>
    public const string ModelInvoke = "model:Invoke";

    /// <summary>Creating an endpoint that serves a model in a region.</summary>
    public const string EndpointCreate = "endpoint:Create";

    internal static IReadOnlyList<string> Known { get; } = [ModelInvoke, EndpointCreate];
}

/// <summary>
/// The resource strings policies match: <c>model/&lt;model-id&gt;</c> and
/// <c>endpoint/&lt;region&gt;/&lt;model-id&gt;</c>. Each call builds a new string, so call these
/// once per model and endpoint (when the configuration is read), not per request.
/// </summary>
public static class PolicyResources
{
    public const string ModelPrefix = "model/";
    public const string EndpointPrefix = "endpoint/";

    public static string Model(string modelId) => ModelPrefix + modelId;

    public static string Endpoint(string region, string modelId) => $"{EndpointPrefix}{region}/{modelId}";
}
