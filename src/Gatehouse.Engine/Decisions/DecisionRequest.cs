using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Decisions;

/// <summary>What a decision is asked about: who, from where, which model.</summary>
/// <param name="Client">The caller's resolved address.</param>
/// <param name="Principal">The authenticated key and its account; null only for hypothetical questions that name none.</param>
/// <param name="RequestedModel">The model name exactly as the request gave it (an id or an alias).</param>
/// <param name="Api">The API the caller speaks, which the serving endpoint must speak too; null asks about any endpoint.</param>
public sealed record DecisionRequest(ClientAddress Client, Principal? Principal, string RequestedModel, ApiDialect? Api)
{
    /// <summary>The caller asked not to be served by a substitute model (the <c>gatehouse-substitution: refuse</c> header).</summary>
    public bool RefusesSubstitution { get; init; }

    /// <summary>Asked through the explain API: the trace also lists every policy statement that matched, which costs allocations live traffic is spared.</summary>
    public bool Explains { get; init; }
}
