namespace Gatehouse.Engine.Decisions;

/// <summary>The part of the pipeline that decided, in the order the stages run.</summary>
public enum DecisionLayer
{
    /// <summary>The requested model itself: known, switched on.</summary>
    Model,

    /// <summary>Layer 1: where the caller is.</summary>
    Geo,

    /// <summary>Layer 3's last step: which endpoint serves the request.</summary>
    Routing,
}
