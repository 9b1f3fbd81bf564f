using System.Globalization;
using Gatehouse.Engine.Sanctions;

namespace Gatehouse.Engine.Tests.Sanctions;

/// <summary>
/// The real lists under ../shared/data/sanctions (see its SOURCES.md for where each comes from and
/// the counts quoted here), and small hand-written files for what the real ones never get wrong.
/// </summary>
public sealed class SanctionsFilesTests : IDisposable
{
    // Read once for the whole class: each is a few megabytes.
    private static readonly Lazy<SanctionsList> Sdn2024 = new(() => Single(SharedData.Sanctions("ofac_sdn_2024-05-03")));
    private static readonly Lazy<SanctionsList> Sdn2021 = new(() => Single(SharedData.Sanctions("ofac_sdn_2021-07")));
    private static readonly Lazy<SanctionsList> Fixture = new(() => Single(SharedData.Sanctions("ofac_fixture_watchman")));

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SanctionsList Single(string path) => Assert.Single(SanctionsFiles.Read(path));

    private static SanctionsEntry Entry(SanctionsList list, string entryId) => Assert.Single(list.Entries, entry => entry.EntryId == entryId);

    private static SanctionsFormatException ReadFails(string path) => Assert.Throws<SanctionsFormatException>(() => SanctionsFiles.Read(path));

    /// <summary>An OFAC primary row with the eight columns between programme and remarks left empty.</summary>
    private static string SdnRow(string entNum, string name, string type, string program, string remarks) =>
        $"{entNum},\"{name}\",{type},\"{program}\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,{remarks}\r\n";

    private string WriteSdn(params string[] rows) => _folder.Write("sdn.csv", string.Concat(rows));

    [Fact]
    public void Read_Sdn2024_HasEveryEntryOfEachTypeAsPublished()
    {
        var list = Sdn2024.Value;

        Assert.Equal(SanctionsSources.OfacSdn, list.Source);
        Assert.Equal(14_965, list.Entries.Count);
        var types = list.Entries.GroupBy(entry => entry.Type).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(6_884, types[SanctionsEntryType.Entity]);
        Assert.Equal(6_854, types[SanctionsEntryType.Individual]);
        Assert.Equal(851, types[SanctionsEntryType.Vessel]);
        Assert.Equal(376, types[SanctionsEntryType.Aircraft]);
        Assert.Equal(["sdn.csv"], list.Files);
        Assert.Null(list.Published);
    }

    [Fact]
    public void Read_Sdn2024_SkipsTheControlZLineAndKeepsItOutOfEveryValue()
    {
        var list = Sdn2024.Value;

        Assert.All(list.Entries, entry => Assert.True(int.TryParse(entry.EntryId, CultureInfo.InvariantCulture, out _)));
        Assert.DoesNotContain(list.Entries, entry => Texts(entry).Any(text => text.Contains('\u001a')));
    }

    [Fact]
    public void Read_Sdn2021Trio_JoinsEveryAliasAndAddressToItsEntry()
    {
        var list = Sdn2021.Value;
        var byId = list.Entries.ToDictionary(entry => entry.EntryId);

        var aliased = EntNums(SharedData.Sanctions("ofac_sdn_2021-07", "alt.csv"));
        var addressed = EntNums(SharedData.Sanctions("ofac_sdn_2021-07", "add.csv"));

        Assert.Equal(8_976, list.Entries.Count);
        Assert.Equal(4, list.Files.Count);
        Assert.NotEmpty(aliased);
        Assert.All(aliased.Concat(addressed), entNum => Assert.True(byId.ContainsKey(entNum), $"ent_num {entNum} is not in sdn.csv"));
        // Every aliased entry has its aliases but 20125, whose one alias is its name again.
        Assert.Equal(["20125"], aliased.Where(entNum => byId[entNum].Aliases.Count == 0));
        // add.csv has a row for every entry; 6,579 of them have more than -0- in their address columns.
        Assert.Equal(8_976, addressed.Count);
        Assert.Equal(6_579, list.Entries.Count(entry => entry.Addresses.Count > 0));
    }

    /// <summary>The ent_nums of an OFAC file read as plain text: the first, unquoted, value of each line.</summary>
    private static HashSet<string> EntNums(string path) =>
        [.. File.ReadLines(path).Where(line => line.Length > 0 && char.IsAsciiDigit(line[0])).Select(line => line[..line.IndexOf(',')])];

    [Fact]
    public void Read_Sdn2021Comments_AppendTheOverflowToTheRemarksWhereTheyWereCut()
    {
        var list = Sdn2021.Value;

        // sdn.csv stops at "Linked To: PROMO RAI", sdn_comments.csv goes on with "Z S.A.S.; …".
        var cifuentes = Entry(list, "12300");
        Assert.Contains("Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA", cifuentes.Remarks);
        Assert.EndsWith("Linked To: R D I S.A.", cifuentes.Remarks);
        // A weak alias cut in two ("a.k.a. 'snowsjo" + "hn'") is found whole.
        Assert.Contains("snowsjohn", Entry(list, "28263").Aliases);
    }

    [Fact]
    public void Read_NullMarker_BecomesAbsentNeverTheLiteral()
    {
        var fixture = Fixture.Value;

        // Remarks may hold "-0-" inside a number ("CH-660-0-469"), so whole values and address parts are compared.
        Assert.DoesNotContain(Sdn2021.Value.Entries.Concat(fixture.Entries), entry =>
            Texts(entry).Any(text => text.Trim() == "-0-") || entry.Addresses.Any(address => address.Split(", ").Contains("-0-")));
        // 10278 has an add.csv row of nothing but -0-: no address, and its remarks are kept.
        var logan = Entry(fixture, "10278");
        Assert.Empty(logan.Addresses);
        Assert.NotNull(logan.Remarks);
        Assert.Equal(SanctionsEntryType.Entity, Entry(fixture, "11195").Type);
    }

    private static IEnumerable<string> Texts(SanctionsEntry entry) =>
        entry.Names.Concat(entry.Addresses).Concat(entry.Countries).Append(entry.Programs ?? "").Append(entry.Remarks ?? "");

    [Fact]
    public void Read_WatchmanFixture_KhoroshevHasHisAliasesAndCountry()
    {
        var khoroshev = Entry(Fixture.Value, "48603");

        Assert.Equal("KHOROSHEV, Dmitry Yuryevich", khoroshev.Name);
        Assert.Equal(SanctionsEntryType.Individual, khoroshev.Type);
        Assert.Equal(["KHOROSHEV, Dmitriy Yurevich", "YURIEVICH, Dmitry", "KHOROSHEV, Dmitrii Yuryevich", "LOCKBITSUPP"], khoroshev.Aliases);
        Assert.Equal(["RU"], khoroshev.Countries);
        Assert.Equal("CYBER2", khoroshev.Programs);
    }

    [Fact]
    public void Read_WatchmanFixture_SplitsProgrammesAndCoversEveryType()
    {
        var list = Fixture.Value;
        var iami = Entry(list, "11195");

        Assert.Equal(17, list.Entries.Count);
        Assert.Equal(Enum.GetValues<SanctionsEntryType>().Order(), list.Entries.Select(entry => entry.Type).Distinct().Order());
        Assert.Equal("NPWMD; IFSR; IRAN-CON-ARMS-EO", iami.Programs);
        Assert.Equal(["IR"], iami.Countries);
        Assert.Contains("HESA TRADE CENTER", iami.Aliases);
        Assert.Contains("SHAHIN CO.", iami.Aliases);
        Assert.Contains("P.O. Box 81465-935, Esfahan, Iran", iami.Addresses);
        Assert.Equal(["LY", "CH"], Entry(list, "12685").Countries);
    }

    [Fact]
    public void Read_Consolidated_IsTheConsList()
    {
        var list = Single(SharedData.Sanctions("ofac_consolidated_2025-12"));

        Assert.Equal(SanctionsSources.OfacConsolidated, list.Source);
        Assert.Equal(442, list.Entries.Count);
        Assert.Equal(4, list.Files.Count);
        Assert.All(list.Entries, entry => Assert.Equal(SanctionsSources.OfacConsolidated, entry.Source));
        Assert.Equal(list.Entries.Count, list.Entries.Select(entry => entry.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("2680", "HABBASH, George")]
    [InlineData("9432", "CHIWESHE, George")]
    [InlineData("2831", "MIDCO FINANCE S.A.")]
    public void Read_DelistedEntries_AreIn2021AndGoneBy2024(string entNum, string name)
    {
        Assert.Equal(name, Entry(Sdn2021.Value, entNum).Name);
        Assert.DoesNotContain(Sdn2024.Value.Entries, entry => entry.EntryId == entNum);
    }

    [Fact]
    public void Read_Csl_TheCutLastRecordIsRefusedWithItsLine()
    {
        var path = SharedData.Sanctions("us_trade_csl", "csl.csv");

        var error = ReadFails(path);

        Assert.Equal(path, error.File);
        Assert.Equal(4_233, error.Line);
        Assert.Equal($"{path} line 4233: a quoted value is never closed, so the file looks cut short", error.Message);
    }

    [Fact]
    public void Read_CslCompleteRecords_SkipTheRepeatedHeaderAndKeepNonAsciiText()
    {
        var list = Single(CompleteCsl());

        Assert.Equal(SanctionsSources.ConsolidatedScreeningList, list.Source);
        // 4,227 records less the one cut short; the second header line is not an entry.
        Assert.Equal(4_226, list.Entries.Count);
        Assert.DoesNotContain(list.Entries, entry => entry.Name == "name" || entry.EntryId.EndsWith("-_id", StringComparison.Ordinal));
        Assert.Equal("Murat Bükey", Entry(list, "DTC-bbc1408e7c1041af8c60389ed0977f70").Name);
        Assert.Contains(list.Entries, entry => entry.Addresses.Any(address => address.Contains("Rooms 1318–1319, Hollywood Plaza", StringComparison.Ordinal)));
    }

    [Fact]
    public void Read_CslCompleteRecords_MapTypesListsAndCountries()
    {
        var list = Single(CompleteCsl());

        // One party on two OFAC lists has a record on each, under one _id.
        Assert.Equal(SanctionsEntryType.Entity, Entry(list, "SSI-17014").Type);
        Assert.Equal(SanctionsEntryType.Entity, Entry(list, "NS-MBS-17014").Type);
        var cmic = Entry(list, "CMIC-30882");
        Assert.Equal("China Telecom Corporation Limited", cmic.Name);
        Assert.Equal(["CHINA TELECOM", "CHINA TELECOM CO., LTD", "CHINA TELECOM CORP LTD"], cmic.Aliases);
        Assert.Equal(["CN"], cmic.Countries);
        Assert.Equal("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department; CMIC-EO13959", cmic.Programs);
        var duran = Entry(list, "SDN-11474");
        Assert.Equal(SanctionsEntryType.Individual, duran.Type);
        Assert.Equal(["CO"], duran.Countries);
        Assert.Equal(list.Entries.Count, list.Entries.Select(entry => entry.Key).Distinct().Count());
    }

    /// <summary>csl.csv without its cut last record, in a temporary folder: the real file less what makes it unreadable.</summary>
    private string CompleteCsl()
    {
        var bytes = File.ReadAllBytes(SharedData.Sanctions("us_trade_csl", "csl.csv"));
        var path = _folder.PathOf("csl.csv");
        File.WriteAllBytes(path, bytes[..(Array.LastIndexOf(bytes, (byte)'\n') + 1)]);
        return path;
    }

    [Fact]
    public void Read_NewerCslLayout_IsRecognisedByItsHeader()
    {
        var list = Single(SharedData.Sanctions("us_trade_csl", "consolidated.csv"));

        Assert.Equal(SanctionsSources.ConsolidatedScreeningList, list.Source);
        Assert.Equal(13, list.Entries.Count);
        var rim = Entry(list, "SDN-52291");
        Assert.Equal("RIM, Ryong Nam", rim.Name);
        Assert.Equal(["CN", "KP"], rim.Countries);
    }

    [Fact]
    public void Read_FolderWithBothCslFiles_IsRefusedNamingBoth()
    {
        var path = SharedData.Sanctions("us_trade_csl");

        var error = ReadFails(path);

        Assert.Equal($"{path}: holds 2 csl lists (consolidated.csv, csl.csv); give each version a folder of its own, or name the file to read", error.Message);
    }

    [Fact]
    public void Read_DeniedPersons_KeepsEachDenialOnceWithAStableId()
    {
        var path = SharedData.Sanctions("bis_dpl");

        var list = Single(path);
        var again = Single(path);

        Assert.Equal(SanctionsSources.BisDeniedPersons, list.Source);
        // 665 records, two of which (DAQING ZHOU, NEI-CHIEN CHU) are printed twice to the letter.
        Assert.Equal(663, list.Entries.Count);
        Assert.Single(list.Entries, entry => entry.Name == "DAQING ZHOU");
        Assert.Equal(list.Entries.Select(entry => entry.EntryId), again.Entries.Select(entry => entry.EntryId));
        Assert.Equal(list.Entries.Count, list.Entries.Select(entry => entry.EntryId).Distinct().Count());
        Assert.All(list.Entries, entry => Assert.Equal("Denied Persons List", entry.Programs));
    }

    [Fact]
    public void Read_DeniedPersons_MapsCountriesAndTellsPeopleFromFirms()
    {
        var list = Single(SharedData.Sanctions("bis_dpl", "dpl.txt"));

        var hu = Assert.Single(list.Entries, entry => entry.Name == "JOHNSON HU");
        Assert.Equal(["CN"], hu.Countries); // written "PRC"
        Assert.Equal(SanctionsEntryType.Individual, hu.Type);
        Assert.Equal(SanctionsEntryType.Individual, Assert.Single(list.Entries, entry => entry.Name == "AARON ABRAHAM VILLA").Type);
        Assert.All(list.Entries.Where(entry => entry.Name == "AL NASER AIRLINES"), entry => Assert.Equal(SanctionsEntryType.Entity, entry.Type));
        var ash = list.Entries.First(entry => entry.Name == "I. ASH");
        Assert.Equal(["US"], ash.Countries);
        Assert.StartsWith("effective 06/19/2003; expires 06/29/2056; 68 F.R. 38290", ash.Remarks);
    }

    [Fact]
    public void Read_UnitedNations_ReadsIndividualsAndEntitiesWithTheirDate()
    {
        var list = Single(SharedData.Sanctions("un_consolidated"));

        Assert.Equal(SanctionsSources.UnitedNations, list.Source);
        Assert.Equal(730, list.Entries.Count(entry => entry.Type == SanctionsEntryType.Individual));
        Assert.Equal(273, list.Entries.Count(entry => entry.Type == SanctionsEntryType.Entity));
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 0, 0, 9, 554, TimeSpan.Zero), list.Published);
        Assert.True(list.Entries.Count(entry => entry.Aliases.Count > 0) > 700);

        var kakolele = Entry(list, "6907994");
        Assert.Equal("FRANK KAKOLELE BWAMBALE", kakolele.Name);
        Assert.Equal(["FRANK KAKORERE", "FRANK KAKORERE BWAMBALE", "AIGLE BLANC"], kakolele.Aliases);
        Assert.Equal(["CD"], kakolele.Countries);
        Assert.Equal(["Kinshasa, Democratic Republic of the Congo (as of June 2016)"], kakolele.Addresses);
        Assert.Equal("DRC", kakolele.Programs);

        var aqim = Entry(list, "113995");
        Assert.Equal(["DZ", "ML", "MR", "MA", "NE", "TN"], aqim.Countries);
        Assert.Contains("Le Groupe Salafiste pour La Prédication et le Combat (GSPC)", aqim.Aliases);
        Assert.Contains(aqim.Aliases, alias => alias.Any(c => c is >= '\u0600' and <= '\u06FF'));
    }

    [Fact]
    public void Read_Progress_RisesInStepsAndEndsAtOne()
    {
        var reports = new List<double>();

        SanctionsFiles.Read(SharedData.Sanctions("ofac_sdn_2021-07"), new Recorder(reports));

        Assert.InRange(reports.Count, 10, 101);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order(), reports);
        Assert.All(reports, fraction => Assert.InRange(fraction, 0, 1));
        Assert.Single(reports, fraction => fraction == 1.0);
    }

    [Fact]
    public void Read_ProgressOfATinyFile_IsOneReportOfOne()
    {
        var reports = new List<double>();

        SanctionsFiles.Read(WriteSdn(SdnRow("1", "A", "-0- ", "SDGT", "-0- ")), new Recorder(reports));

        Assert.Equal([1.0], reports);
    }

    /// <summary>Reports as they come; <see cref="Progress{T}"/> would post them to the thread pool.</summary>
    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }

    [Fact]
    public void Read_HandWrittenSdn_ReadsQuotedLineBreaksAndTheControlZ()
    {
        var path = WriteSdn(
            SdnRow("7", "ALPHA TRADING", "-0- ", "SDGT] [IFSR", "\"Website alpha.example; a.k.a. 'ALPHA'; a.k.a. 'ABU-'UMAR'.\""),
            SdnRow("8", "BRAVO, Charlie", "\"individual\"", "CUBA", "\"DOB 1960;\r\n nationality Korea, North; alt. citizen Burma.\""),
            "\u001a");
        _folder.Write("README.md", "not a list");

        var list = Single(Path.GetDirectoryName(path)!);

        Assert.Equal(["7", "8"], list.Entries.Select(entry => entry.EntryId));
        Assert.Equal(["ALPHA", "ABU-'UMAR"], list.Entries[0].Aliases);
        Assert.Equal("SDGT; IFSR", list.Entries[0].Programs);
        Assert.Equal(["KP", "MM"], list.Entries[1].Countries);
        Assert.Equal([Path.GetFileName(path)], list.Files);
    }

    [Theory]
    [InlineData("1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- \r\n3,\"C\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", 2, "expected 12 columns, found 7")]
    [InlineData("x1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", 2, "ent_num 'x1' is not a positive whole number")]
    [InlineData("2,\"A\",\"ship\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", 2, "unknown SDN_Type 'ship' (individual, vessel, aircraft or -0- for an entity)")]
    [InlineData("1,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", 2, "ent_num 1 again (first on line 1)")]
    [InlineData("2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960; POB Lim", 2, "a quoted value is never closed, so the file looks cut short")]
    [InlineData("2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB\"\r\n3,\"C\"", 3,
        "expected 12 columns, found 2; it is the file's last record, so the file looks cut short")]
    public void Read_MalformedSdn_NamesFileAndLine(string rest, long line, string message)
    {
        var path = WriteSdn(SdnRow("1", "A", "-0- ", "SDGT", "-0- "), rest);

        var error = ReadFails(path);

        Assert.Equal((path, line), (error.File, error.Line));
        Assert.Equal($"{path} line {line}: {message}", error.Message);
    }

    [Fact]
    public void Read_MalformedAliasFile_NamesItAndTheLineCountingQuotedLineBreaks()
    {
        WriteSdn(SdnRow("1", "A", "-0- ", "SDGT", "-0- "));
        var alt = _folder.Write("alt.csv", "1,10,\"aka\",\"FIRST\r\nPART\",-0- \r\n1,11,\"aka\",\"B\"\r\n1,12,\"aka\",\"C\",-0- \r\n");

        var error = ReadFails(_folder.PathOf(""));

        Assert.Equal($"{alt} line 3: expected 5 columns, found 4", error.Message);
    }

    [Fact]
    public void Read_AliasesAndAddressesWithoutTheirSdn_AreRefused()
    {
        var path = SharedData.Sanctions("ofac_alt_add_2025-01-06");

        var error = ReadFails(path);

        Assert.Equal($"{Path.Combine(path, "add.csv")}: is joined to sdn.csv on ent_num, but there is no sdn.csv beside it", error.Message);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void Read_FolderWithNoList_IsRefused()
    {
        _folder.Write("README.md", "# lists");
        _folder.Write("notes.csv", "a,b\n1,2\n");
        var path = Path.GetDirectoryName(_folder.PathOf("x"))!;

        Assert.StartsWith($"{path}: holds no sanctions list Gatehouse reads; expected sdn.csv or cons_prim.csv", ReadFails(path).Message);
    }

    private const string CslHeader = "_id,source,entity_number,type,programs,name,addresses,remarks,alt_names,citizenships,nationalities";

    [Theory]
    [InlineData("notes.txt", "hello", ": is not a sanctions list Gatehouse reads")]
    [InlineData("cons_alt.csv", "1,10,\"aka\",\"B\",-0- \r\n", ": is joined to cons_prim.csv on ent_num, but there is no cons_prim.csv beside it")]
    [InlineData("csl.csv", "_id,source,entity_number,type,programs,name\n\"1\",\"X (X)\",\"\",\"\",\"\",\"A\"\n", " line 1: no 'addresses' column")]
    [InlineData("export.csv", CslHeader + "\n\"1\",\"A (A)\",\"\",\"Entity\",\"\",\"A\",\"\",\"\",\"\",\"\",\"\"\n\"2\",\"A (A)\",\"\",\"Ship\",\"\",\"B\",\"\",\"\",\"\",\"\",\"\"\n",
        " line 3: unknown type 'Ship' (Individual, Entity, Vessel, Aircraft or none)")]
    [InlineData("un.xml", "<CONSOLIDATED_LIST>\n<ENTITIES>\n<ENTITY><FIRST_NAME>A</FIRST_NAME></ENTITY>\n</ENTITIES>\n</CONSOLIDATED_LIST>\n", " line 3: ENTITY without a DATAID")]
    public void Read_BadSingleFile_NamesItAndTheLine(string name, string text, string expected)
    {
        var path = _folder.Write(name, text);

        Assert.StartsWith(path + expected, ReadFails(path).Message);
    }

    [Fact]
    public void Read_MissingPath_IsRefused()
    {
        var path = _folder.PathOf("absent");

        Assert.Equal($"{path}: no such file or folder", ReadFails(path).Message);
    }

    [Fact]
    public void Read_UnListThatIsNotWellFormed_NamesTheLine()
    {
        var path = _folder.Write("un.xml", "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-01-01T00:00:00Z\">\n" +
            "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n<INDIVIDUAL><DATAID>2</DATAID>\n");

        var error = ReadFails(path);

        Assert.Equal(path, error.File);
        Assert.True(error.Line >= 4, error.Message);
        Assert.StartsWith($"{path} line {error.Line}: not well-formed XML", error.Message);
    }

    [Fact]
    public void Read_FolderOfSeveralLists_ReturnsEachInSourceOrder()
    {
        File.Copy(SharedData.Sanctions("bis_dpl", "dpl.txt"), _folder.PathOf("dpl.txt"));
        File.Copy(SharedData.Sanctions("ofac_fixture_watchman", "sdn.csv"), _folder.PathOf("sdn.csv"));
        var reports = new List<double>();

        var lists = SanctionsFiles.Read(Path.GetDirectoryName(_folder.PathOf("x"))!, new Recorder(reports));

        Assert.Equal([SanctionsSources.OfacSdn, SanctionsSources.BisDeniedPersons], lists.Select(list => list.Source));
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }
}
