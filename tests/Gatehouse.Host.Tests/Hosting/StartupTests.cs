using Gatehouse.Engine.Configuration;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task BuildAsync_InvalidConfiguration_ThrowsWithFileLineAndField()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gatehouse-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(path, "models:\n  - id: a\n    allowedJurisdictions: [atlantis]\n");
        try
        {
            var e = await Assert.ThrowsAsync<ConfigurationException>(() => GatehouseServer.BuildAsync(new ServeSettings(path), GatewayEnvironment.Process));

            var error = Assert.Single(e.Errors);
            Assert.Equal(3, error.Line);
            Assert.Equal("models[0].allowedJurisdictions[0]", error.Field);
            Assert.Contains($"{path}:3:", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
