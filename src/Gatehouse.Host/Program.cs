using Gatehouse.Host.Commands;
using Gatehouse.Host.Hosting;
using Spectre.Console;

return await GatehouseCli.Create(new CliContext(AnsiConsole.Console, Console.Error, GatewayEnvironment.Process))
    .Parse(args)
    .InvokeAsync();
