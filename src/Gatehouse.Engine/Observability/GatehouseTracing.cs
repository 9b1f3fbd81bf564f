using System.Diagnostics;

namespace Gatehouse.Engine.Observability;

/// <summary>
/// The gateway's activities: one per data-plane request, a child per decision stage and per
/// upstream attempt. <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns
/// null while nothing listens, so an untraced gateway pays one check per activity.
/// </summary>
public static class GatehouseTracing
{
    public const string SourceName = "Gatehouse";

    public static ActivitySource Source { get; } = new(SourceName);
}
