using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

public sealed class SanctionsEntryTests
{
    private static readonly SanctionsEntry Entry = new(SanctionsSources.OfacSdn, "50544", SanctionsEntryType.Entity, "DIALOG REGIONS")
    {
        Addresses = ["Ul. Timura Frunze, D. 11, Str. 1, Moscow 119021, Russia", "Sankt-Peterburg, Russia"],
    };

    [Theory]
    [InlineData("Moscow", true)]
    [InlineData("MOSCOW", true)]
    [InlineData("Москва", false)]
    [InlineData("Sankt Peterburg", true)]
    [InlineData("Mosc", false)]
    [InlineData("Berlin", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void MentionsPlace_ComparesWholeWordsAsNamesAreCompared(string? place, bool expected) => Assert.Equal(expected, Entry.MentionsPlace(place));

    [Fact]
    public void Fingerprint_ChangesWithAnythingScreenedOrReviewed_AndOnlyThen()
    {
        Assert.Equal(Entry.Fingerprint, (Entry with { }).Fingerprint);
        Assert.NotEqual(Entry.Fingerprint, (Entry with { Remarks = "Amended." }).Fingerprint);
        Assert.NotEqual(Entry.Fingerprint, (Entry with { Aliases = ["DIALOGUE REGIONS"] }).Fingerprint);
        Assert.NotEqual(Entry.Fingerprint, (Entry with { Countries = ["RU"] }).Fingerprint);
    }
}
