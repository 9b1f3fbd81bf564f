using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Tests.Identity;

public sealed class IdentifiersTests
{
    [Fact]
    public void NewNonSecret_HasTheSameFormAsRandomIds_AndDoesNotRepeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => Identifiers.NewNonSecret("req")).ToList();

        Assert.All(ids, id => Assert.Matches("^req_[a-z2-7]{16}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Matches("^org_[a-z2-7]{16}$", Identifiers.New("org"));
    }
}
