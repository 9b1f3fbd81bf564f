using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

public sealed class NameScorerTests
{
    /// <summary>Listed names whose words are equally common, so that the formula's arithmetic can be checked by hand.</summary>
    private static NameScorer CreateSut() =>
        SanctionsIndex.Build(new[] { "ALPHA BRAVO", "CHARLIE DELTA", "ECHO FOXTROT", "GOLF HOTEL" }
            .Select((name, i) => new SanctionsEntry(SanctionsSources.OfacSdn, $"{i}", SanctionsEntryType.Entity, name))).Scorer;

    private static double Score(NameScorer scorer, string query, string listed) =>
        scorer.Score(scorer.Prepare(query), scorer.Prepare(listed).Ids);

    [Fact]
    public void Score_SameWordsInAnyOrder_IsOne()
    {
        var scorer = CreateSut();

        Assert.Equal(1.0, Score(scorer, "Bravo, Alpha", "ALPHA BRAVO"));
    }

    [Fact]
    public void Score_UnpairedQueryWord_CountsItsFullWeight()
    {
        var scorer = CreateSut();

        // Alpha pairs (2w on both sides), Charlie does not (w below): 2w / 3w.
        Assert.Equal(2.0 / 3, Score(scorer, "Alpha Charlie", "ALPHA"), 9);
    }

    [Fact]
    public void Score_UnpairedListedWord_CountsAShareOfItsWeight()
    {
        var scorer = CreateSut();

        Assert.Equal(2.0 / (2 + NameScorer.UnpairedListWordCharge), Score(scorer, "Alpha", "ALPHA BRAVO"), 9);
    }

    [Fact]
    public void Score_PairedWords_CountTheirSimilarity()
    {
        var scorer = CreateSut();
        var similarity = NameScorer.WordSimilarity("brave", "bravo");

        Assert.InRange(similarity, NameScorer.WordFloor, 1.0);
        // The unknown "brave" weighs as a word found once, as "alpha" and "bravo" are.
        Assert.Equal((2 + 2 * similarity) / 4, Score(scorer, "Alpha Brave", "ALPHA BRAVO"), 9);
    }

    [Fact]
    public void Score_WordsBelowTheFloor_DoNotPair()
    {
        var scorer = CreateSut();

        Assert.True(NameScorer.WordSimilarity("gala", "golf") < NameScorer.WordFloor);
        Assert.Equal(0, Score(scorer, "Gala", "GOLF"));
    }

    [Theory]
    [InlineData("al", "alhamd")]
    [InlineData("abcdef", "badcfe")]
    public void WordSimilarity_WordsTooUnlikeInLengthOrLetterPairs_IsZero(string a, string b)
    {
        Assert.True(JaroWinkler.Similarity(a, b) > NameScorer.WordFloor - 0.05);
        Assert.Equal(0, NameScorer.WordSimilarity(a, b));
    }

    [Fact]
    public void WordSimilarity_LongerWord_CostsItsExtraLetters()
    {
        var jaroWinkler = JaroWinkler.Similarity("rahman", "rahmani");

        Assert.Equal(jaroWinkler - NameScorer.LengthPenalty * 1 / 7, NameScorer.WordSimilarity("rahman", "rahmani"), 9);
    }

    [Fact]
    public void WordSimilarity_ContainedInALongerWord_FallsBelowTheFloor()
    {
        // Jaro-Winkler alone: 0.90.
        Assert.True(JaroWinkler.Similarity("said", "shahid") >= NameScorer.WordFloor);
        Assert.True(NameScorer.WordSimilarity("said", "shahid") < NameScorer.WordFloor);
    }

    [Fact]
    public void MaxUnpairedWeight_BoundsTheScoreOfNamesLeavingThatMuchUnpaired()
    {
        var scorer = CreateSut();
        var query = scorer.Prepare("Alpha Bravo Charlie");
        var bound = NameScorer.MaxUnpairedWeight(query, 0.8);

        // Leaving one word of three unpaired leaves a third of the weight, more than the bound allows...
        Assert.True(query.Weights[2] > bound);
        // ...and indeed falls short whatever the listed name holds besides.
        Assert.True(Score(scorer, "Alpha Bravo Charlie", "ALPHA BRAVO") < 0.8);
    }
}
