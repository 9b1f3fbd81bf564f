using System.Net;
using Gatehouse.Engine.Models;

namespace Gatehouse.Host.Forwarding;

/// <summary>Where one forwarding attempt goes and what it carries there; kept in the request's features.</summary>
/// <param name="CanFailOver">Another endpoint is left to try if this one fails before answering.</param>
internal sealed record ForwardingTarget(EndpointDefinition Endpoint, ApiDialect CallerDialect, string DecisionHeader, bool CanFailOver)
{
    /// <summary>Set when the upstream answered 5xx and the answer was held back so that the next endpoint can be tried.</summary>
    public HttpStatusCode? HeldBackStatus { get; set; }
}
