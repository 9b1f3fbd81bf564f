using CsCheck;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Geo;

public sealed class CountrySetTests
{
    private static readonly Gen<string> Codes = Gen.Char['A', 'Z'].Array[2].Select(chars => new string(chars));

    [Fact]
    public void Contains_AgreesWithAHashSet_ForEveryCode()
    {
        Codes.HashSet[0, 40].Sample(members =>
        {
            var set = new CountrySet(members);
            for (var first = 'A'; first <= 'Z'; first++)
            {
                for (var second = 'A'; second <= 'Z'; second++)
                {
                    var code = $"{first}{second}";
                    Assert.Equal(members.Contains(code), set.Contains(CountrySet.IndexOf(code)));
                }
            }
        }, iter: 200);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("us")]
    [InlineData("USA")]
    [InlineData("U1")]
    public void IndexOf_AnythingButTwoUpperCaseLetters_IsNone_AndNeverContained(string? code)
    {
        Assert.Equal(CountrySet.None, CountrySet.IndexOf(code));
        Assert.False(new CountrySet(["US"]).Contains(CountrySet.IndexOf(code)));
    }
}
