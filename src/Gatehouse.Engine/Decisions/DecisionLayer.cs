namespace Gatehouse.Engine.Decisions;

/// <summary>The part of the pipeline that decided.</summary>
public enum DecisionLayer
{
    /// <summary>The requested model itself: known, switched on.</summary>
    Model,

    /// <summary>Layer 1: where the caller is.</summary>
    Geo,

    /// <summary>Layer 2: who the caller is — the key, the account's status and its KYC profile.</summary>
    Identity,

    /// <summary>Layer 3's last step: which endpoint serves the request.</summary>
    Routing,

    /// <summary>Layer 3: the gateway's and the organisation's policies, endpoint by endpoint.</summary>
    Policy,

    /// <summary>Metering: the account's and the organisation's daily budgets.</summary>
    Budget,

    /// <summary>Whether the counters the nodes share (rate limits, budgets, suspension counts) can be kept.</summary>
    Counters,
}
