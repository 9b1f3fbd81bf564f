using System.CommandLine;

namespace Gatehouse.Host.Commands;

/// <summary><c>gatehouse config validate</c>: checks a file the way <c>serve</c> and reload do, without starting anything.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<string>("--config", "-c") { Description = "The configuration file.", Required = true };
        var validate = new Command("validate", "Check a configuration file; print every problem with its line.") { file };
        validate.SetAction(async parse =>
        {
            var path = parse.GetValue(file)!;
            if (await context.LoadConfigurationAsync(path) is not { } configuration)
            {
                return 1;
            }
            context.WriteLine($"{path}: valid ({configuration.Models.All.Count} models, {configuration.Models.Endpoints.Count} endpoints)");
            foreach (var endpoint in configuration.Models.Endpoints.Where(e => e.IsMissingApiKey))
            {
                context.WriteLine($"warning: endpoint {endpoint.Id}: {endpoint.ApiKeyVariable} is not set, so it cannot be used");
            }
            return 0;
        });
        return new Command("config", "Work with configuration files.") { validate };
    }
}
