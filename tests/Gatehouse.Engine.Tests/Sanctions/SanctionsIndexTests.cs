using CsCheck;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

public sealed class SanctionsIndexTests
{
    private const double Threshold = SanctionsIndex.DefaultThreshold;

    private static SanctionsEntry Person(string id, string name, params string[] countries) =>
        new(SanctionsSources.OfacSdn, id, SanctionsEntryType.Individual, name) { Countries = countries };

    private static SanctionsEntry Company(string id, string name, params string[] aliases) =>
        new(SanctionsSources.OfacSdn, id, SanctionsEntryType.Entity, name) { Aliases = aliases };

    /// <summary>A small list with the kinds of names the real ones have, and filler that makes "trading" and "bank" common words.</summary>
    private static SanctionsIndex CreateSut(params SanctionsEntry[] extra)
    {
        List<SanctionsEntry> entries =
        [
            Person("1", "KHOROSHEV, Dmitry Yuryevich", "RU"),
            Person("2", "MADURO MOROS, Nicolas", "VE"),
            Person("3", "AL-ZAWAHIRI, Ayman"),
            Company("4", "BANK MELLI IRAN", "MELLI BANK PLC"),
            Company("5", "ROSNEFT TRADING S.A."),
            Company("6", "OOO ROMASHKA"),
            Person("7", "SCHMIDT, Peter", "DE"),
            .. Enumerable.Range(0, 40).Select(i => Company($"f{i}", $"{Filler(i)} TRADING LLC")),
            .. Enumerable.Range(0, 20).Select(i => Company($"b{i}", $"{Filler(i + 40)} BANK")),
            .. extra,
        ];
        return SanctionsIndex.Build(entries);
    }

    /// <summary>Distinct made-up words, none like the names above.</summary>
    private static string Filler(int i) => $"Q{(char)('A' + i % 26)}{(char)('A' + i / 26 % 26)}UX";

    private static SanctionsMatch Single(SanctionsIndex index, string name, string? country = null) => Assert.Single(index.Screen(name, country, Threshold));

    [Theory]
    [InlineData("Dmitry Yuryevich Khoroshev", "1")]
    [InlineData("KHOROSHEV Dmitry Yuryevich", "1")]
    [InlineData("Хорошев Дмитрий Юрьевич", "1")]
    [InlineData("Horoshev Dmitriy Yurievich", "1")]
    [InlineData("Nicolás Maduro Moros", "2")]
    [InlineData("Nicolas Maduro", "2")]
    [InlineData("Ayman al-Zawahiry", "3")]
    [InlineData("Bank Melli Iran", "4")]
    [InlineData("Rоsnеft Trading SA", "5")]
    [InlineData("Romashka LLC", "6")]
    [InlineData("Romashka Co., Ltd.", "6")]
    public void Screen_VariantsOfAListedName_FindTheEntry(string name, string expected) =>
        Assert.Equal(expected, Single(CreateSut(), name).Entry.EntryId);

    [Theory]
    [InlineData("Siemens AG")]
    [InlineData("Maria Schmidt")]
    [InlineData("Nicolas Sarkozy")]
    [InlineData("International Trading Company")]
    [InlineData("")]
    [InlineData(" -- ")]
    public void Screen_NamesNotOnTheList_FindNothing(string name) => Assert.Empty(CreateSut().Screen(name, null, Threshold));

    [Theory]
    [InlineData("DOE, John Michael")]
    [InlineData("John Michael Doe")]
    [InlineData("Michael Doe John")]
    public void Screen_OrderOfWords_DoesNotMatter(string name)
    {
        var match = Single(CreateSut(Person("9", "DOE, John Michael")), name);

        Assert.Equal("9", match.Entry.EntryId);
        Assert.Equal(1.0, match.Score);
    }

    [Fact]
    public void Screen_EntryWithSeveralMatchingNames_IsReportedOnceWithItsBestName()
    {
        var match = Single(CreateSut(), "Melli Bank plc");

        Assert.Equal("4", match.Entry.EntryId);
        Assert.Equal("MELLI BANK PLC", match.MatchedName);
        Assert.Equal(1.0, match.Score);
    }

    [Fact]
    public void Screen_Results_AreBestFirstAndLimited()
    {
        var index = CreateSut(Person("10", "KHOROSHEV, Dmitri"), Person("11", "KHOROSHEV, Dmitry Yuryevich"));

        var all = index.Screen("Khoroshev Dmitry Yuryevich", null, 0.7);
        var two = index.Screen("Khoroshev Dmitry Yuryevich", null, 0.7, limit: 2);

        Assert.Equal(["1", "11", "10"], all.Select(m => m.Entry.EntryId));
        Assert.Equal(all.OrderByDescending(m => m.Score), all);
        Assert.Equal(all.Take(2), two);
        Assert.All(all, m => Assert.InRange(m.Score, 0.7, 1.0));
    }

    [Fact]
    public void Screen_MatchingCountry_NudgesTheScoreAndIsReported()
    {
        var index = CreateSut();

        var without = Single(index, "Peter Schmitt");
        var matching = Single(index, "Peter Schmitt", "DE");
        var other = Single(index, "Peter Schmitt", "FR");

        Assert.False(without.CountryMatched);
        Assert.True(matching.CountryMatched);
        Assert.False(other.CountryMatched);
        Assert.Equal(without.Score + SanctionsIndex.CountryBonus, matching.Score, 9);
        Assert.Equal(without.Score, other.Score);
    }

    [Fact]
    public void Screen_MatchingCountry_NeverTurnsANearMissIntoAMatch()
    {
        var index = CreateSut();
        var score = Single(index, "Pieter Schmid").Score;
        // A threshold the name misses by less than the country would add.
        var threshold = score + SanctionsIndex.CountryBonus / 2;

        Assert.Empty(index.Screen("Pieter Schmid", "DE", threshold));
        Assert.Empty(index.Screen("Pieter Schmid", null, threshold));
    }

    [Fact]
    public void Screen_ExactMatchWithCountry_StaysAtOne()
    {
        var match = Single(CreateSut(), "Peter Schmidt", "DE");

        Assert.Equal(1.0, match.Score);
        Assert.True(match.CountryMatched);
    }

    [Fact]
    public void Screen_CommonWords_WeighLessThanRareOnes()
    {
        var index = CreateSut();

        // "trading" is on forty entries, "rosneft" on one: sharing the rare word counts for more.
        var rare = index.Screen("Rosneft Petroleum", null, 0.1, 100).Single(m => m.Entry.EntryId == "5").Score;
        var common = index.Screen("Petroleum Trading", null, 0.1, 100).Single(m => m.Entry.EntryId == "5").Score;

        Assert.True(rare > common, $"rare {rare:F3}, common {common:F3}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Screen_ThresholdOutsideZeroToOne_IsRefused(double threshold) =>
        Assert.ThrowsAny<ArgumentException>(() => CreateSut().Screen("Khoroshev", null, threshold));

    [Fact]
    public void Screen_Empty_FindsNothing()
    {
        Assert.Empty(SanctionsIndex.Empty.Screen("Khoroshev", null, Threshold));
        Assert.Equal(0, SanctionsIndex.Empty.EntryCount);
        Assert.Equal(0, SanctionsIndex.Empty.NameCount);
    }

    [Fact]
    public void Build_CountsEntriesAndTheirDistinctNames()
    {
        var index = SanctionsIndex.Build([Company("1", "ACME LLC", "Acme, L.L.C.", "ACME TRADING"), Company("2", "---")]);

        Assert.Equal(2, index.EntryCount);
        // "Acme, L.L.C." normalises as "ACME LLC" does, and "---" to nothing.
        Assert.Equal(2, index.NameCount);
    }

    [Fact]
    public void Screen_FromManyThreads_GivesEveryThreadTheSameAnswers()
    {
        var index = CreateSut();
        string[] names = ["Khoroshev Dmitry", "Bank Melli", "Maduro Nicolas", "Siemens", "Romashka"];
        var expected = names.Select(n => index.Screen(n, "RU", 0.8)).ToArray();

        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Assert.Equal(expected[i % names.Length], index.Screen(names[i % names.Length], "RU", 0.8)));
    }

    [Fact]
    public void Screen_RandomNamesBuiltFromListedWords_AgreesWithScoringEveryName()
    {
        var index = CreateSut();
        string[] words = ["khoroshev", "dmitri", "maduro", "nicolas", "moros", "bank", "meli", "iran", "trading", "rosneft", "romashka",
            "peter", "shmidt", "ayman", "qaaux", "qbaux", "holding", "co", "al", "zavahiri", "horoshov", "madura"];
        var name = Gen.Int[0, words.Length - 1].Array[1, 5].Select(picks => string.Join(' ', picks.Select(p => words[p])));
        Gen.Select(name, Gen.Double[0.5, 1.0]).Sample((query, threshold) =>
            index.Screen(query, null, threshold, 50).SequenceEqual(index.ScreenExhaustively(query, null, threshold, 50)), iter: 500);
    }
}
