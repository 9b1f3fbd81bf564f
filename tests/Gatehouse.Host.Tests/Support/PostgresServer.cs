using System.Diagnostics;

namespace Gatehouse.Host.Tests.Support;

/// <summary>
/// A PostgreSQL server of the test's own, in a temporary folder on a free loopback port, for
/// tests that restart the server — the shared one that ./test.sh starts serves other tests at the
/// same time. Needs the server's programs (Debian: postgresql, which ./test.sh installs); as
/// root, they run as the postgres user, since the server refuses to run as root.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly string[] _asPostgres;

    private PostgresServer(string bin, string folder, string[] asPostgres, int port)
    {
        _bin = bin;
        _folder = folder;
        _asPostgres = asPostgres;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=gatehouse;Database=postgres";

    private string DataDirectory => Path.Combine(_folder, "data");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL's initdb was not found: install it (Debian: apt-get install postgresql), as ./test.sh does.");
        var folder = Directory.CreateTempSubdirectory("gatehouse-pg-").FullName;
        string[] asPostgres = Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--"] : [];
        if (asPostgres.Length > 0)
        {
            await RunAsync(["chown", "postgres", folder], folder);
        }
        var server = new PostgresServer(bin, folder, asPostgres, GatewayProcess.FreePort());
        await server.RunAsPostgresAsync("initdb", "-D", server.DataDirectory, "-U", "gatehouse", "-A", "trust", "--no-sync");
        await server.StartServerAsync();
        return server;
    }

    private static string? FindBin()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null);
    }

    private Task StartServerAsync() => RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-w",
        "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Stops the server at once — clients' connections are cut, as in a crash or failover — and starts it again.</summary>
    public async Task RestartAsync()
    {
        await RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "stop");
        await StartServerAsync();
    }

    private Task RunAsPostgresAsync(string program, params string[] arguments) =>
        RunAsync([.. _asPostgres, Path.Combine(_bin, program), .. arguments], _folder);

    private static async Task RunAsync(string[] command, string workingDirectory)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)} exited with {process.ExitCode}: {await output}{await errors}");
    }

    public void Dispose()
    {
        try
        {
            RunAsPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "stop").GetAwaiter().GetResult();
        }
        catch (Xunit.Sdk.XunitException)
        {
            // Already stopped.
        }
        Directory.Delete(_folder, recursive: true);
    }
}
