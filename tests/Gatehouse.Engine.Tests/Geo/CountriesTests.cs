using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Geo;

public sealed class CountriesTests
{
    [Theory]
    // OFAC (add.csv, remarks, vessel flags)
    [InlineData("Russia", "RU")]
    [InlineData("Iran", "IR")]
    [InlineData("Korea, North", "KP")]
    [InlineData("Korea, South", "KR")]
    [InlineData("Burma", "MM")]
    [InlineData("Congo, Democratic Republic of the", "CD")]
    [InlineData("Virgin Islands, British", "VG")]
    [InlineData("Man, Isle of", "IM")]
    [InlineData("Bahamas, The", "BS")]
    [InlineData("The Gambia", "GM")]
    [InlineData("Cote d Ivoire", "CI")]
    [InlineData("Region: Crimea", "UA")]
    [InlineData("Palestinian", "PS")]
    [InlineData("St. Kitts & Nevis", "KN")]
    // UN
    [InlineData("Iran (Islamic Republic of)", "IR")]
    [InlineData("Russian Federation", "RU")]
    [InlineData("Democratic People's Republic of Korea", "KP")]
    [InlineData("United Kingdom of Great Britain and Northern Ireland", "GB")]
    [InlineData("Türkiye", "TR")]
    [InlineData("Viet Nam", "VN")]
    // The table's own names, in any case, with a sentence's full stop
    [InlineData("the Netherlands", "NL")]
    [InlineData("united arab emirates", "AE")]
    [InlineData(" Korea, North. ", "KP")]
    [InlineData("PRC", "CN")]
    public void TryFindCode_NamesTheListsWrite_FindTheirCode(string name, string code)
    {
        Assert.True(Countries.TryFindCode(name, out var found));
        Assert.Equal(code, found);
    }

    [Theory]
    [InlineData("undetermined")]
    [InlineData("Region: Kafia Kingi")]
    [InlineData("Netherlands Antilles")]
    [InlineData("RU")]
    [InlineData("")]
    [InlineData(null)]
    public void TryFindCode_NotOneCountrysName_IsNotFound(string? name)
    {
        Assert.False(Countries.TryFindCode(name, out var code));
        Assert.Null(code);
    }
}
