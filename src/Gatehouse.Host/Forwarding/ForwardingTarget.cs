using System.Net;
using Gatehouse.Engine.Models;
using Gatehouse.Host.DataPlane;

namespace Gatehouse.Host.Forwarding;

/// <summary>Where one forwarding attempt goes and what it carries there; kept in the request's features.</summary>
/// <param name="CanFailOver">Another endpoint is left to try if this one fails before answering.</param>
/// <param name="Served">What <see cref="DataPlaneHandler.EndpointHeader"/> says: the endpoint, and those tried before it.</param>
/// <param name="SubstitutedModel">The model serving in place of the one asked for, if any.</param>
internal sealed record ForwardingTarget(EndpointDefinition Endpoint, ApiDialect CallerDialect, string DecisionHeader, bool CanFailOver, string Served, string? SubstitutedModel)
{
    /// <summary>Set when the upstream answered 5xx and the answer was held back so that the next endpoint can be tried.</summary>
    public HttpStatusCode? HeldBackStatus { get; set; }

    /// <summary>Set when the upstream answered with success: reads the usage from the response as it is copied to the caller.</summary>
    public Engine.Usage.UsageParser? Usage { get; set; }

    /// <summary>The gateway's own headers on whatever response this attempt ends in: forwarded, or an error written in its place.</summary>
    public void Label(IHeaderDictionary headers)
    {
        headers[ApiErrors.DecisionHeader] = DecisionHeader;
        headers[DataPlaneHandler.EndpointHeader] = Served;
        if (SubstitutedModel is not null)
        {
            headers[DataPlaneHandler.SubstitutedModelHeader] = SubstitutedModel;
        }
    }
}
