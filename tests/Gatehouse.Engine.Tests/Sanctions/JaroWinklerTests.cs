using CsCheck;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

public sealed class JaroWinklerTests
{
    [Theory]
    // Winkler's and the literature's reference pairs.
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("JELLYFISH", "SMELLYFISH", 0.896)]
    public void Similarity_KnownPairs_MatchThePublishedValues(string a, string b, double expected)
    {
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 3);
        Assert.Equal(expected, JaroWinkler.Similarity(b, a), 3);
    }

    [Theory]
    [InlineData("khoroshev", "khoroshev", 1.0)]
    [InlineData("", "", 1.0)]
    [InlineData("abc", "", 0.0)]
    [InlineData("abc", "xyz", 0.0)]
    public void Similarity_EdgeCases(string a, string b, double expected) => Assert.Equal(expected, JaroWinkler.Similarity(a, b));

    [Fact]
    public void Similarity_AnyTwoWords_IsSymmetricAndWithinZeroAndOne()
    {
        var word = Gen.String[Gen.Char['a', 'f'], 0, 12];
        Gen.Select(word, word).Sample((a, b) =>
        {
            var forward = JaroWinkler.Similarity(a, b);
            return forward is >= 0 and <= 1 && forward == JaroWinkler.Similarity(b, a);
        }, iter: 2000);
    }

    [Fact]
    public void Similarity_WithAMinimum_IsExactFromThatMinimumUp()
    {
        var word = Gen.String[Gen.Char['a', 'e'], 1, 10];
        Gen.Select(word, word, Gen.Double[0.7, 1.0]).Sample((a, b, minimum) =>
        {
            var exact = JaroWinkler.Similarity(a, b);
            var bounded = JaroWinkler.Similarity(a, b, minimum);
            return exact >= minimum ? bounded == exact : bounded < minimum;
        }, iter: 5000);
    }

    [Fact]
    public void Similarity_LongWords_AreComparedWithoutLimit()
    {
        var a = new string('a', 300) + "b";
        var b = new string('a', 300) + "c";

        Assert.InRange(JaroWinkler.Similarity(a, b), 0.99, 1.0);
    }
}
