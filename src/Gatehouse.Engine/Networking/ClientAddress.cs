using System.Net;

namespace Gatehouse.Engine.Networking;

/// <summary>
/// Where a request came from. <see cref="Address"/> is null when a trusted proxy reported
/// something that is not an address: the caller's location is then unknown, and restricted
/// models are refused rather than judged by the proxy's own address.
/// </summary>
public sealed record ClientAddress(IPAddress? Address, string? Problem)
{
    public static ClientAddress Known(IPAddress address) => new(address, null);

    public static ClientAddress Unknown(string problem) => new(null, problem);

    public override string ToString() => Address?.ToString() ?? "unknown";
}
