using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Decisions;

public enum DecisionEffect
{
    Allow,
    Deny,

    /// <summary>The model asked for is refused, and its substitute serves the request instead.</summary>
    Substitute,
}

/// <summary>One rule looked at while deciding, and what it found.</summary>
public sealed record TraceEntry(DecisionLayer Layer, string Rule, string Outcome, string Detail);

/// <summary>
/// The answer to "may this caller do this", as a value: live traffic, the explain API and the
/// CLI all receive this same object from the same pipeline.
/// </summary>
public sealed class Decision
{
    /// <summary>Identifies the decision in the <c>gatehouse-decision</c> header and, later, in the audit log.</summary>
    public required string Id { get; init; }
    public required DecisionEffect Effect { get; init; }
    /// <summary>For a substitution, the reason the model asked for was refused.</summary>
    public required string ReasonCode { get; init; }
    public required DecisionLayer Layer { get; init; }
    public required string Rule { get; init; }

    /// <summary>A sentence for the caller: what happened and whom to ask. No internals.</summary>
    public required string Message { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The key and account asked about; null for a hypothetical question that named none.</summary>
    public Identity.Principal? Principal { get; init; }

    public required string RequestedModel { get; init; }
    public required ClientAddress Client { get; init; }
    public GeoLocation? Location { get; init; }
    public ModelDefinition? Model { get; init; }
    /// <summary>For an allowed request: the endpoint that serves first, then those to fail over to, in order.</summary>
    public IReadOnlyList<EndpointDefinition> Endpoints { get; init; } = [];

    public EndpointDefinition? Endpoint => Endpoints.Count > 0 ? Endpoints[0] : null;

    /// <summary>The export licence the decision relied on, if one lifted a jurisdiction restriction.</summary>
    public Licensing.ExportLicense? License { get; init; }
    public required IReadOnlyList<TraceEntry> Trace { get; init; }

    /// <summary>Whether the request is served, by the model asked for or by its substitute.</summary>
    public bool IsAllowed => Effect != DecisionEffect.Deny;

    public int StatusCode => IsAllowed ? 200 : ReasonCodes.StatusCodeOf(ReasonCode);
}
