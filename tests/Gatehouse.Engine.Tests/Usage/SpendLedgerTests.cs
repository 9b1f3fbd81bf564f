using Gatehouse.Engine.Usage;

namespace Gatehouse.Engine.Tests.Usage;

/// <summary>The ledger's own arithmetic of known totals and this node's additions; Redis itself is in the host tests.</summary>
public sealed class SpendLedgerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = SpendLedger.DayOf(Noon);

    [Fact]
    public void Observe_KeepsTheHighestTotal_AndAddsThisNodesOwnSpend()
    {
        var sut = new SpendLedger();
        sut.Observe("acc_1", Today, 500);
        sut.Observe("acc_1", Today, 300);
        sut.Add("acc_1", "org_1", Today, 20);

        Assert.Equal((520L, 20L), (sut.SpentToday("acc_1", Noon), sut.SpentToday("org_1", Noon)));
        Assert.Empty(sut.Unpushed());
    }

    [Fact]
    public void Pushed_MovesTheAdditionIntoTheKnownTotal_WithoutCountingItTwice()
    {
        var sut = new SpendLedger(shared: true);
        sut.Observe("acc_1", Today, 100);
        sut.Add("acc_1", "org_1", Today, 30);
        var addition = Assert.Single(sut.Unpushed(), a => a.SubjectId == "acc_1");
        sut.Add("acc_1", "org_1", Today, 5);

        // Another node had added 50 meanwhile: the total Redis answers holds it, this node's 30, not its later 5.
        sut.Pushed(addition, 180);

        Assert.Equal(new SpendAddition("acc_1", Today, 100, 30), addition);
        Assert.Equal(185, sut.SpentToday("acc_1", Noon));
        Assert.Equal([("acc_1", 180L, 5L), ("org_1", 0L, 35L)], sut.Unpushed().OrderBy(a => a.SubjectId).Select(a => (a.SubjectId, a.Known, a.Nanodollars)));
    }

    [Fact]
    public void NewDay_StartsFromNothing_AndAnAnswerForYesterdayChangesNothing()
    {
        var sut = new SpendLedger(shared: true);
        sut.Add("acc_1", "org_1", Today, 30);
        var yesterday = Assert.Single(sut.Unpushed(), a => a.SubjectId == "acc_1");

        sut.Add("acc_1", "org_1", Today.AddDays(1), 7);
        sut.Pushed(yesterday, 999);
        sut.Observe("acc_1", Today, 999);

        Assert.Equal(7, sut.SpentToday("acc_1", Noon.AddDays(1)));
        Assert.Equal(0, sut.SpentToday("acc_1", Noon));
    }
}
