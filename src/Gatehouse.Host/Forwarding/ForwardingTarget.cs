using Gatehouse.Engine.Models;

namespace Gatehouse.Host.Forwarding;

/// <summary>Where one request goes and what it carries there; kept in the request's features.</summary>
internal sealed record ForwardingTarget(EndpointDefinition Endpoint, ApiDialect CallerDialect, string DecisionHeader);
