using System.Collections.Frozen;

namespace Gatehouse.Engine.Policy;

/// <summary>What a condition key's request value is, and so which operators may test it.</summary>
internal enum ConditionKeyType
{
    String,
    Number,
    Date,
    Bool,
    IpAddress,
}

/// <summary>What a string key holds, so that values that could never match are refused at parse.</summary>
internal enum ConditionValueKind
{
    /// <summary>Any text: organisation ids, regions, model ids, classifications.</summary>
    Text,

    /// <summary>ISO 3166-1 alpha-2 country codes, upper case (<c>DE</c>).</summary>
    Country,

    /// <summary>Network type names as the GeoIP data writes them (<c>residential</c>, <c>vpn</c>, …).</summary>
    NetworkType,
}

/// <summary>
/// One <c>gate:</c> condition key: its name as documented, its type, and the slot of
/// <see cref="PolicyRequest"/> that holds its value. Slots are numbered per type, so the compiled
/// evaluator reads a value with one array index.
/// </summary>
internal sealed class ConditionKey
{
    private ConditionKey(string name, ConditionKeyType type, int slot, ConditionValueKind kind = ConditionValueKind.Text, bool multiValued = false)
    {
        Name = name;
        Type = type;
        Slot = slot;
        ValueKind = kind;
        IsMultiValued = multiValued;
    }

    /// <summary>The documented spelling; policies may write it in any case.</summary>
    public string Name { get; }

    public ConditionKeyType Type { get; }

    /// <summary>Index into the request's array for <see cref="Type"/> (and, for strings, for single or multiple values).</summary>
    public int Slot { get; }

    public ConditionValueKind ValueKind { get; }

    /// <summary>A key whose request value is a set of values (<c>gate:LicensedCountries</c>); only strings are.</summary>
    public bool IsMultiValued { get; }

    public override string ToString() => Name;

    // Single-valued string slots.
    internal const int CallerCountrySlot = 0;
    internal const int CallerNetworkTypeSlot = 1;
    internal const int BillingCountrySlot = 2;
    internal const int CardCountrySlot = 3;
    internal const int RegisteredCountrySlot = 4;
    internal const int OrganizationSlot = 5;
    internal const int RequestedRegionSlot = 6;
    internal const int EndpointRegionSlot = 7;
    internal const int ModelClassificationSlot = 8;
    internal const int ModelSlot = 9;
    internal const int StringSlots = 10;

    // Multi-valued string slots.
    internal const int LicensedCountriesSlot = 0;
    internal const int StringListSlots = 1;

    // One slot each for the other types.
    internal const int CallerAsnSlot = 0;
    internal const int NumberSlots = 1;
    internal const int CurrentTimeSlot = 0;
    internal const int DateSlots = 1;
    internal const int IdentityVerifiedSlot = 0;
    internal const int BoolSlots = 1;
    internal const int CallerIpSlot = 0;
    internal const int AddressSlots = 1;

    public static readonly ConditionKey CallerCountry = new("gate:CallerCountry", ConditionKeyType.String, CallerCountrySlot, ConditionValueKind.Country);
    public static readonly ConditionKey CallerNetworkType = new("gate:CallerNetworkType", ConditionKeyType.String, CallerNetworkTypeSlot, ConditionValueKind.NetworkType);
    public static readonly ConditionKey CallerIp = new("gate:CallerIp", ConditionKeyType.IpAddress, CallerIpSlot);
    public static readonly ConditionKey CallerAsn = new("gate:CallerAsn", ConditionKeyType.Number, CallerAsnSlot);
    public static readonly ConditionKey BillingCountry = new("gate:BillingCountry", ConditionKeyType.String, BillingCountrySlot, ConditionValueKind.Country);
    public static readonly ConditionKey CardCountry = new("gate:CardCountry", ConditionKeyType.String, CardCountrySlot, ConditionValueKind.Country);
    public static readonly ConditionKey RegisteredCountry = new("gate:RegisteredCountry", ConditionKeyType.String, RegisteredCountrySlot, ConditionValueKind.Country);
    public static readonly ConditionKey IdentityVerified = new("gate:IdentityVerified", ConditionKeyType.Bool, IdentityVerifiedSlot);
    public static readonly ConditionKey Organization = new("gate:Organization", ConditionKeyType.String, OrganizationSlot);
    public static readonly ConditionKey LicensedCountries = new("gate:LicensedCountries", ConditionKeyType.String, LicensedCountriesSlot, ConditionValueKind.Country, multiValued: true);
    public static readonly ConditionKey RequestedRegion = new("gate:RequestedRegion", ConditionKeyType.String, RequestedRegionSlot);
    public static readonly ConditionKey EndpointRegion = new("gate:EndpointRegion", ConditionKeyType.String, EndpointRegionSlot);
    public static readonly ConditionKey ModelClassification = new("gate:ModelClassification", ConditionKeyType.String, ModelClassificationSlot);
    public static readonly ConditionKey Model = new("gate:Model", ConditionKeyType.String, ModelSlot);
    public static readonly ConditionKey CurrentTime = new("gate:CurrentTime", ConditionKeyType.Date, CurrentTimeSlot);

    /// <summary>Every key, in the order the documentation lists them.</summary>
    public static IReadOnlyList<ConditionKey> All { get; } =
    [
        CallerCountry, CallerNetworkType, CallerIp, CallerAsn, BillingCountry, CardCountry, RegisteredCountry,
        IdentityVerified, Organization, LicensedCountries, RequestedRegion, EndpointRegion, ModelClassification,
        Model, CurrentTime,
    ];

    /// <summary>Keys are matched ignoring case, as IAM matches its own.</summary>
    private static readonly FrozenDictionary<string, ConditionKey> ByName =
        All.ToFrozenDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public static ConditionKey? Find(string name) => ByName.GetValueOrDefault(name);
}
