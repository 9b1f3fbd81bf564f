using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

public sealed class NameNormalizerTests
{
    [Theory]
    // Case, punctuation, white space
    [InlineData("  MADURO MOROS,  Nicolas ", "maduro moros nicolas")]
    [InlineData("AL-QA'IDA", "al qaida")]
    [InlineData("O’Brien & Sons", "obrien sons")]
    // Diacritics and compatibility forms
    [InlineData("Nicolás Maduro Moros", "nicolas maduro moros")]
    [InlineData("Müller Straße Łódź Øresund Ærø", "muller strasse lodz oresund aero")]
    [InlineData("Nguyễn Tấn Dũng", "nguyen tan dung")]
    [InlineData("Ｂａｎｋ 𝐌𝐞𝐥𝐥𝐢", "bank melli")]
    [InlineData("Nicola\u0301s", "nicolas")]
    // Dotted abbreviations collapse; other dots separate
    [InlineData("U.S.A. Trading", "usa trading")]
    [InlineData("J.P.Morgan", "j p morgan")]
    // Look-alike letters in Latin words (Cyrillic о, е, р, с; Greek ο, ρ)
    [InlineData("Rоsnеft", "rosneft")]
    [InlineData("Gazрrom Nеft", "gazprom neft")]
    [InlineData("Hοrοshev", "horoshev")]
    [InlineData("ВАNК Melli", "bank melli")]
    // Whole words in Cyrillic or Greek are romanised
    [InlineData("Хорошев Дмитрий Юрьевич", "khoroshev dmitriy yurevich")]
    [InlineData("Щукин Жуков", "shchukin zhukov")]
    [InlineData("Ελληνική Τράπεζα", "elliniki trapeza")]
    [InlineData("Bank Мелли", "bank melli")]
    public void Normalize_Examples(string name, string expected) => Assert.Equal(expected, NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("OOO Romashka", "romashka")]
    [InlineData("Romashka LLC", "romashka")]
    [InlineData("Romashka L.L.C.", "romashka")]
    [InlineData("ROMASHKA CO., LTD.", "romashka")]
    [InlineData("Romashka Limited Liability Company", "romashka")]
    [InlineData("Open Joint Stock Company Romashka", "romashka")]
    [InlineData("Obshchestvo s Ogranichennoy Otvetstvennostyu Romashka", "romashka")]
    [InlineData("ООО Ромашка", "romashka")]
    [InlineData("Romashka S.A. de C.V.", "romashka")]
    [InlineData("Romashka Sdn. Bhd.", "romashka")]
    [InlineData("Romashka GmbH", "romashka")]
    [InlineData("Romashka Limietd", "romashka")]
    [InlineData("Romashka Limited Liabiliyt Company", "romashka")]
    public void Normalize_LegalForms_AreDropped(string name, string expected) => Assert.Equal(expected, NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("Company Limited", "company limited")]
    [InlineData("S.A. de C.V.", "sa de cv")]
    [InlineData("LLC", "llc")]
    public void Normalize_NameOfNothingButLegalForms_KeepsEveryWord(string name, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("")]
    [InlineData("  ,.-  ")]
    public void Normalize_NoWords_IsEmpty(string name) => Assert.Equal("", NameNormalizer.Normalize(name));

    [Theory]
    [InlineData("Khoroshev", "Horoshev")]
    [InlineData("Sergey", "Sergei")]
    [InlineData("Aleksandr", "Alexandr")]
    [InlineData("Mohammed", "Muhammad")]
    [InlineData("Mohamad", "Muhammad")]
    [InlineData("Yusuf", "Yousef")]
    [InlineData("Hussein", "Husain")]
    [InlineData("Abdullah", "Abdulla")]
    [InlineData("Philipp", "Filip")]
    [InlineData("Dmitriy", "Dmitry")]
    [InlineData("Schmidt", "Shmidt")]
    [InlineData("Qasim", "Kasim")]
    [InlineData("Wladimir", "Vladimir")]
    public void Fold_TransliterationVariants_MeetInOneSpelling(string a, string b) =>
        Assert.Equal(NameNormalizer.Fold(NameNormalizer.Normalize(a)), NameNormalizer.Fold(NameNormalizer.Normalize(b)));

    [Theory]
    [InlineData("Alexander", "Aleksandr")]
    [InlineData("Yevgeniy", "Evgeny")]
    [InlineData("Khaled", "Khalid")]
    [InlineData("Gaddafi", "Qadhafi")]
    public void Fold_NearVariants_StayCloseEnoughToPair(string a, string b)
    {
        var similarity = NameScorer.WordSimilarity(NameNormalizer.Fold(NameNormalizer.Normalize(a)), NameNormalizer.Fold(NameNormalizer.Normalize(b)));

        Assert.True(similarity >= NameScorer.WordFloor, $"{a} ~ {b}: {similarity:F3}");
    }

    [Fact]
    public void Analyze_KeepsWordsAndTheirKeysPositionForPosition()
    {
        var name = NameNormalizer.Analyze("OOO Khoroshev Trading");

        Assert.Equal(["khoroshev", "trading"], name.Words);
        Assert.Equal(["horoshev", "trading"], name.Tokens);
    }
}
