using Gatehouse.Engine.Policy;

namespace Gatehouse.Engine.Tests.Policy;

/// <summary>Setting condition keys by name from text, as <c>gatehouse policy test</c> does.</summary>
public sealed class PolicyRequestTests
{
    [Fact]
    public void Set_ReadsEachKindOfKey_ByNameInAnyCase()
    {
        var request = new PolicyRequest();

        Assert.Null(request.Set("gate:callercountry", ["DE"]));
        Assert.Null(request.Set("gate:CallerAsn", ["15169"]));
        Assert.Null(request.Set("gate:CurrentTime", ["2026-11-24T12:00:00Z"]));
        Assert.Null(request.Set("gate:IdentityVerified", ["true"]));
        Assert.Null(request.Set("gate:CallerIp", ["::ffff:203.0.113.7"]));
        Assert.Null(request.Set("gate:LicensedCountries", ["GB", "DE"]));

        Assert.Equal(("DE", 15169u, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), true, "203.0.113.7"),
            (request.CallerCountry, request.CallerAsn, request.CurrentTime, request.IdentityVerified, request.CallerIp?.ToString()));
        Assert.Equal(["GB", "DE"], request.LicensedCountries!);
    }

    [Theory]
    [InlineData("gate:Countryy", "DE", "is not a condition key")]
    [InlineData("gate:CallerAsn", "many", "is not a number")]
    [InlineData("gate:CurrentTime", "11/24/2026", "is not a date")]
    [InlineData("gate:IdentityVerified", "yes", "is not true or false")]
    [InlineData("gate:CallerIp", "not-an-ip", "is not an IP address")]
    public void Set_BadKeyOrValue_SaysWhatIsWrong(string key, string value, string expected)
    {
        Assert.Contains(expected, new PolicyRequest().Set(key, [value]));
    }

    [Fact]
    public void Set_SeveralValuesForAOneValueKey_IsRefused()
    {
        Assert.Contains("takes one value", new PolicyRequest().Set("gate:CallerCountry", ["DE", "FR"]));
    }
}
