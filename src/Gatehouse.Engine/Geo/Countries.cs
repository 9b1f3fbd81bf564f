using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Gatehouse.Engine.Geo;

/// <summary>
/// ISO 3166-1 alpha-2 codes with the English short names used in messages people read.
/// Kept in the engine so that configuration can reject a mistyped code at start instead of
/// silently building a jurisdiction that matches nobody.
/// </summary>
public static class Countries
{
    private const string Table =
        "AD:Andorra|AE:United Arab Emirates|AF:Afghanistan|AG:Antigua and Barbuda|AI:Anguilla|AL:Albania|" +
        "AM:Armenia|AO:Angola|AQ:Antarctica|AR:Argentina|AS:American Samoa|AT:Austria|AU:Australia|AW:Aruba|" +
        "AX:Åland Islands|AZ:Azerbaijan|BA:Bosnia and Herzegovina|BB:Barbados|BD:Bangladesh|BE:Belgium|" +
        "BF:Burkina Faso|BG:Bulgaria|BH:Bahrain|BI:Burundi|BJ:Benin|BL:Saint Barthélemy|BM:Bermuda|BN:Brunei|" +
        "BO:Bolivia|BQ:Caribbean Netherlands|BR:Brazil|BS:the Bahamas|BT:Bhutan|BV:Bouvet Island|BW:Botswana|" +
        "BY:Belarus|BZ:Belize|CA:Canada|CC:Cocos (Keeling) Islands|CD:the Democratic Republic of the Congo|" +
        "CF:the Central African Republic|CG:the Republic of the Congo|CH:Switzerland|CI:Côte d'Ivoire|" +
        "CK:the Cook Islands|CL:Chile|CM:Cameroon|CN:China|CO:Colombia|CR:Costa Rica|CU:Cuba|CV:Cabo Verde|" +
        "CW:Curaçao|CX:Christmas Island|CY:Cyprus|CZ:Czechia|DE:Germany|DJ:Djibouti|DK:Denmark|DM:Dominica|" +
        "DO:the Dominican Republic|DZ:Algeria|EC:Ecuador|EE:Estonia|EG:Egypt|EH:Western Sahara|ER:Eritrea|" +
        "ES:Spain|ET:Ethiopia|FI:Finland|FJ:Fiji|FK:the Falkland Islands|FM:Micronesia|FO:the Faroe Islands|" +
        "FR:France|GA:Gabon|GB:the United Kingdom|GD:Grenada|GE:Georgia|GF:French Guiana|GG:Guernsey|GH:Ghana|" +
        "GI:Gibraltar|GL:Greenland|GM:the Gambia|GN:Guinea|GP:Guadeloupe|GQ:Equatorial Guinea|GR:Greece|" +
        "GS:South Georgia and the South Sandwich Islands|GT:Guatemala|GU:Guam|GW:Guinea-Bissau|GY:Guyana|" +
        "HK:Hong Kong|HM:Heard Island and McDonald Islands|HN:Honduras|HR:Croatia|HT:Haiti|HU:Hungary|" +
        "ID:Indonesia|IE:Ireland|IL:Israel|IM:the Isle of Man|IN:India|IO:the British Indian Ocean Territory|" +
        "IQ:Iraq|IR:Iran|IS:Iceland|IT:Italy|JE:Jersey|JM:Jamaica|JO:Jordan|JP:Japan|KE:Kenya|KG:Kyrgyzstan|" +
        "KH:Cambodia|KI:Kiribati|KM:the Comoros|KN:Saint Kitts and Nevis|KP:North Korea|KR:South Korea|" +
        "KW:Kuwait|KY:the Cayman Islands|KZ:Kazakhstan|LA:Laos|LB:Lebanon|LC:Saint Lucia|LI:Liechtenstein|" +
        "LK:Sri Lanka|LR:Liberia|LS:Lesotho|LT:Lithuania|LU:Luxembourg|LV:Latvia|LY:Libya|MA:Morocco|" +
        "MC:Monaco|MD:Moldova|ME:Montenegro|MF:Saint Martin|MG:Madagascar|MH:the Marshall Islands|" +
        "MK:North Macedonia|ML:Mali|MM:Myanmar|MN:Mongolia|MO:Macao|MP:the Northern Mariana Islands|" +
        "MQ:Martinique|MR:Mauritania|MS:Montserrat|MT:Malta|MU:Mauritius|MV:the Maldives|MW:Malawi|MX:Mexico|" +
        "MY:Malaysia|MZ:Mozambique|NA:Namibia|NC:New Caledonia|NE:Niger|NF:Norfolk Island|NG:Nigeria|" +
        "NI:Nicaragua|NL:the Netherlands|NO:Norway|NP:Nepal|NR:Nauru|NU:Niue|NZ:New Zealand|OM:Oman|PA:Panama|" +
        "PE:Peru|PF:French Polynesia|PG:Papua New Guinea|PH:the Philippines|PK:Pakistan|PL:Poland|" +
        "PM:Saint Pierre and Miquelon|PN:the Pitcairn Islands|PR:Puerto Rico|PS:Palestine|PT:Portugal|PW:Palau|" +
        "PY:Paraguay|QA:Qatar|RE:Réunion|RO:Romania|RS:Serbia|RU:Russia|RW:Rwanda|SA:Saudi Arabia|" +
        "SB:the Solomon Islands|SC:Seychelles|SD:Sudan|SE:Sweden|SG:Singapore|SH:Saint Helena|SI:Slovenia|" +
        "SJ:Svalbard and Jan Mayen|SK:Slovakia|SL:Sierra Leone|SM:San Marino|SN:Senegal|SO:Somalia|" +
        "SR:Suriname|SS:South Sudan|ST:São Tomé and Príncipe|SV:El Salvador|SX:Sint Maarten|SY:Syria|" +
        "SZ:Eswatini|TC:the Turks and Caicos Islands|TD:Chad|TF:the French Southern Territories|TG:Togo|" +
        "TH:Thailand|TJ:Tajikistan|TK:Tokelau|TL:Timor-Leste|TM:Turkmenistan|TN:Tunisia|TO:Tonga|TR:Türkiye|" +
        "TT:Trinidad and Tobago|TV:Tuvalu|TW:Taiwan|TZ:Tanzania|UA:Ukraine|UG:Uganda|" +
        "UM:the United States Minor Outlying Islands|US:the United States|UY:Uruguay|UZ:Uzbekistan|" +
        "VA:Vatican City|VC:Saint Vincent and the Grenadines|VE:Venezuela|VG:the British Virgin Islands|" +
        "VI:the United States Virgin Islands|VN:Vietnam|VU:Vanuatu|WF:Wallis and Futuna|WS:Samoa|XK:Kosovo|" +
        "YE:Yemen|YT:Mayotte|ZA:South Africa|ZM:Zambia|ZW:Zimbabwe";

    /// <summary>
    /// Other names the sanctions lists write for a country: OFAC's inverted and older forms
    /// ("Korea, North", "Burma"), the UN's formal ones ("Iran (Islamic Republic of)"), vessel
    /// flags ("St. Kitts &amp; Nevis"), the names above without their accents, and the regions
    /// OFAC puts in its country column where a country is meant. Regions that belong to no one
    /// country ("Kafia Kingi", "Commonwealth of Independent States") are left out on purpose.
    /// </summary>
    private const string OtherNames =
        "AX:Aland Islands|BL:Saint Barthelemy|BN:Brunei Darussalam|BO:Bolivia (Plurinational State of)|" +
        "BS:Bahamas, The|CD:Congo, Democratic Republic of the|CD:DR Congo|CG:Congo|CG:Congo, Republic of the|" +
        "CI:Cote d Ivoire|CI:Cote d'Ivoire|CI:Ivory Coast|CN:People's Republic of China|CN:PRC|CV:Cape Verde|" +
        "CW:Curacao|CZ:Czech Republic|FM:Micronesia (Federated States of)|GB:United Kingdom of Great Britain and Northern Ireland|" +
        "GB:Great Britain|HK:China, Hong Kong Special Administrative Region|IM:Man, Isle of|IR:Iran (Islamic Republic of)|" +
        "IR:Iran, Islamic Republic of|KN:St. Kitts and Nevis|KN:St. Kitts & Nevis|KN:Saint Kitts & Nevis|" +
        "KP:Korea, North|KP:Democratic People's Republic of Korea|KP:Korea, Democratic People's Republic of|" +
        "KR:Korea, South|KR:Republic of Korea|KR:Korea, Republic of|LA:Lao People's Democratic Republic|MD:Republic of Moldova|" +
        "MK:North Macedonia, The Republic of|MK:Macedonia|MK:Macedonia, The Former Yugoslav Republic of|MM:Burma|MO:Macau|" +
        "MO:China, Macao Special Administrative Region|PS:Palestinian|PS:State of Palestine|PS:Palestinian Territories|" +
        "PS:West Bank|PS:Gaza|PS:Region: West Bank|PS:Region: Gaza|ML:Region: Northern Mali|RU:Region: Russia|" +
        "RE:Reunion|RU:Russian Federation|ST:Sao Tome and Principe|SY:Syrian Arab Republic|SZ:Swaziland|TL:East Timor|" +
        "TR:Turkey|TR:Turkiye|TW:Taiwan, Province of China|TZ:United Republic of Tanzania|UA:Crimea|UA:Region: Crimea|UA:Crimea (occupied)|AE:UAE|" +
        "US:United States of America|US:USA|VA:Holy See|VC:St. Vincent and the Grenadines|" +
        "VE:Venezuela (Bolivarian Republic of)|VG:Virgin Islands, British|VI:Virgin Islands, U.S.|VN:Viet Nam";

    private static readonly FrozenDictionary<string, string> NamesByCode = Pairs(Table)
        .ToFrozenDictionary(pair => pair.Code, pair => pair.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> CodesByName = Pairs(Table)
        .Concat(Pairs(OtherNames))
        .DistinctBy(pair => NameKey(pair.Name), StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(pair => NameKey(pair.Name), pair => pair.Code, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<(string Code, string Name)> Pairs(string table) =>
        table.Split('|').Select(entry => entry.Split(':', 2)).Select(parts => (parts[0], parts[1]));

    /// <summary>
    /// A name as it is looked up: the lists write "The Gambia" and "Gambia" alike, and end some
    /// names with the full stop of the sentence they were cut from ("nationality Korea, North.").
    /// </summary>
    private static string NameKey(string name)
    {
        var key = name.Trim().TrimEnd('.').TrimEnd();
        return key.StartsWith("the ", StringComparison.OrdinalIgnoreCase) ? key[4..] : key;
    }

    public static bool IsKnown(string code) => NamesByCode.ContainsKey(code);

    /// <summary>The English name for a code, or the code itself when it is not in the table.</summary>
    public static string NameOf(string code) => NamesByCode.GetValueOrDefault(code, code);

    /// <summary>
    /// The code for a country's English name as the sanctions lists and the table above write it
    /// ("Russia", "Russian Federation", "Korea, North", "The Gambia"), ignoring case, surrounding
    /// spaces and a final full stop. False for anything else, including codes: a name is not guessed at.
    /// </summary>
    public static bool TryFindCode(string? name, [NotNullWhen(true)] out string? code)
    {
        code = null;
        return name is not null && CodesByName.TryGetValue(NameKey(name), out code);
    }
}
