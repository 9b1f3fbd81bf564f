using System.Net;
using Gatehouse.Engine.Sanctions;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// A new version of the real SDN list (2021-07, then 2024-05) through the admin API: entries that
/// vanished are delisted, and an organisation designated in between is flagged by the re-screening
/// that follows the import, without anyone touching its account.
/// </summary>
public sealed class SanctionsImportTests : IAsyncLifetime
{
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await SanctionsGateTests.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task ANewVersion_DelistsVanishedEntries_AndReScreeningFlagsAnExistingAccount()
    {
        var calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
        var first = await SanctionsGateTests.ImportAsync(_gateway, Assert.Single(SanctionsFiles.Read(SharedData.Sanctions("ofac_sdn_2021-07"))));
        // Sberbank was designated an SDN in 2022: in the 2024 list, not in the 2021 one.
        var bank = await calls.CallerAsync(organizationName: "Sberbank", organizationLegalName: "Sberbank of Russia PJSC", registered: "RU", billing: "RU", card: "RU");
        var before = await calls.SendAsync(bank.Key, "9.9.9.9", SanctionsGateTests.Open);

        var second = await SanctionsGateTests.ImportAsync(_gateway, Assert.Single(SanctionsFiles.Read(SharedData.Sanctions("ofac_sdn_2024-05-03"))));
        var after = await calls.SendAsync(bank.Key, "9.9.9.9", SanctionsGateTests.Open);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Empty(first.Flags);
        Assert.Equal(14_965, second.Version.Entries);
        Assert.True(second.Version.Delisted > 0, "entries of 2021 that are gone by 2024 (e.g. 2680 HABBASH) are delisted");
        Assert.True(second.AccountsScreened >= 1);
        Assert.Contains(second.Flags, f => f.AccountId == bank.AccountId && f.Match!.EntryKey == "ofac-sdn:17018");
        Assert.Equal((HttpStatusCode.Forbidden, "identity.sanctions_match"), (after.Status, after.Reason));
    }
}
