namespace Gatehouse.Host.Hosting;

/// <summary>Reads environment variables (upstream keys). Tests substitute their own values.</summary>
internal sealed class GatewayEnvironment(Func<string, string?> read)
{
    public static GatewayEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    public string? Read(string name) => read(name);
}
