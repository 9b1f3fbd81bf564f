using System.Net;

namespace Gatehouse.Engine.Policy;

/// <summary>
/// What a policy set is asked about: the action, the resource, and the value of each condition
/// key. A request is meant to be kept and refilled (<see cref="Clear"/>, then the setters), so
/// that evaluating allocates nothing; it is not thread-safe, so keep one per thread or per
/// request in flight. A key left null is absent from the request, which is what IAM's rules
/// for absent keys then apply to (see <see cref="PolicySet"/>).
/// </summary>
/// <remarks>
/// Values are compared as given: countries as upper-case ISO 3166-1 alpha-2 codes (<c>DE</c>),
/// network types as the GeoIP data names them (<c>residential</c>, <c>hosting</c>, <c>vpn</c>,
/// <c>tor</c>, <c>private</c>, <c>unknown</c>), regions and model ids as configured.
/// </remarks>
public sealed class PolicyRequest
{
    private readonly string?[] _strings = new string?[ConditionKey.StringSlots];
    private readonly IReadOnlyList<string>?[] _stringLists = new IReadOnlyList<string>?[ConditionKey.StringListSlots];
    private readonly decimal?[] _numbers = new decimal?[ConditionKey.NumberSlots];
    private readonly long?[] _ticks = new long?[ConditionKey.DateSlots];
    private readonly bool?[] _bools = new bool?[ConditionKey.BoolSlots];
    private readonly IPAddress?[] _addresses = new IPAddress?[ConditionKey.AddressSlots];
    private string _action = "";
    private string _resource = "";

    /// <summary>The action, <c>service:Name</c>: <see cref="PolicyActions.ModelInvoke"/>, <see cref="PolicyActions.EndpointCreate"/>, …</summary>
    public string Action
    {
        get => _action;
        set => _action = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The resource: <c>model/&lt;model-id&gt;</c> or <c>endpoint/&lt;region&gt;/&lt;model-id&gt;</c>
    /// (<see cref="PolicyResources"/>). Build each model's and endpoint's string once, when the
    /// configuration is read, and reuse it: building it per request would allocate.
    /// </summary>
    public string Resource
    {
        get => _resource;
        set => _resource = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary><c>gate:CallerCountry</c>: where the caller's address is, e.g. <c>DE</c>.</summary>
    public string? CallerCountry
    {
        get => _strings[ConditionKey.CallerCountrySlot];
        set => _strings[ConditionKey.CallerCountrySlot] = value;
    }

    /// <summary>
    /// <c>gate:CallerNetworkType</c>: <c>residential</c>, <c>hosting</c>, <c>vpn</c>, <c>tor</c>,
    /// <c>private</c> or <c>unknown</c>, as <see cref="Geo.NetworkTypes.NameOf"/> names them (a constant: no allocation).
    /// </summary>
    public string? CallerNetworkType
    {
        get => _strings[ConditionKey.CallerNetworkTypeSlot];
        set => _strings[ConditionKey.CallerNetworkTypeSlot] = value;
    }

    /// <summary>
    /// <c>gate:CallerIp</c>, for <c>IpAddress</c> and <c>NotIpAddress</c>. An IPv4 address written
    /// as IPv6 (<c>::ffff:192.0.2.1</c>) is stored as IPv4, so that IPv4 networks contain it.
    /// </summary>
    public IPAddress? CallerIp
    {
        get => _addresses[ConditionKey.CallerIpSlot];
        set => _addresses[ConditionKey.CallerIpSlot] = Canonical(value);
    }

    /// <summary>
    /// <c>gate:CallerAsn</c>: the caller's autonomous system number, for the Numeric operators.
    /// 0 (what <see cref="Geo.GeoLocation.Asn"/> holds when the data does not know) is taken as absent.
    /// </summary>
    public uint? CallerAsn
    {
        get => _numbers[ConditionKey.CallerAsnSlot] is { } asn ? (uint)asn : null;
        set => _numbers[ConditionKey.CallerAsnSlot] = value is null or 0 ? null : value;
    }

    /// <summary><c>gate:BillingCountry</c>: the country of the account's billing address.</summary>
    public string? BillingCountry
    {
        get => _strings[ConditionKey.BillingCountrySlot];
        set => _strings[ConditionKey.BillingCountrySlot] = value;
    }

    /// <summary><c>gate:CardCountry</c>: the country that issued the paying card.</summary>
    public string? CardCountry
    {
        get => _strings[ConditionKey.CardCountrySlot];
        set => _strings[ConditionKey.CardCountrySlot] = value;
    }

    /// <summary><c>gate:RegisteredCountry</c>: the country the account is registered in.</summary>
    public string? RegisteredCountry
    {
        get => _strings[ConditionKey.RegisteredCountrySlot];
        set => _strings[ConditionKey.RegisteredCountrySlot] = value;
    }

    /// <summary><c>gate:IdentityVerified</c>: whether the account's identity has been verified, for the Bool operator.</summary>
    public bool? IdentityVerified
    {
        get => _bools[ConditionKey.IdentityVerifiedSlot];
        set => _bools[ConditionKey.IdentityVerifiedSlot] = value;
    }

    /// <summary><c>gate:Organization</c>: the organisation's id.</summary>
    public string? Organization
    {
        get => _strings[ConditionKey.OrganizationSlot];
        set => _strings[ConditionKey.OrganizationSlot] = value;
    }

    /// <summary>
    /// <c>gate:LicensedCountries</c>, the one multi-valued key: the countries the organisation's
    /// licences in force let it use the model from. An empty list is the same as null: a set
    /// with no values (<c>ForAllValues</c> is true of it, <c>ForAnyValue</c> false). The list is
    /// read, not copied, at each evaluation; it must hold no nulls.
    /// </summary>
    public IReadOnlyList<string>? LicensedCountries
    {
        get => _stringLists[ConditionKey.LicensedCountriesSlot];
        set => _stringLists[ConditionKey.LicensedCountriesSlot] = value;
    }

    /// <summary><c>gate:RequestedRegion</c>: the region the caller asked for, when it asked.</summary>
    public string? RequestedRegion
    {
        get => _strings[ConditionKey.RequestedRegionSlot];
        set => _strings[ConditionKey.RequestedRegionSlot] = value;
    }

    /// <summary><c>gate:EndpointRegion</c>: the region of the endpoint that would serve (or be created).</summary>
    public string? EndpointRegion
    {
        get => _strings[ConditionKey.EndpointRegionSlot];
        set => _strings[ConditionKey.EndpointRegionSlot] = value;
    }

    /// <summary><c>gate:ModelClassification</c>: the model's classification as configured, e.g. <c>restricted</c>.</summary>
    public string? ModelClassification
    {
        get => _strings[ConditionKey.ModelClassificationSlot];
        set => _strings[ConditionKey.ModelClassificationSlot] = value;
    }

    /// <summary><c>gate:Model</c>: the model's id (not an alias).</summary>
    public string? Model
    {
        get => _strings[ConditionKey.ModelSlot];
        set => _strings[ConditionKey.ModelSlot] = value;
    }

    /// <summary>
    /// <c>gate:CurrentTime</c>: the instant of the decision. The engine reads no clock: pass the
    /// time the caller's <see cref="TimeProvider"/> gives. Left null, Date conditions see an absent key.
    /// </summary>
    public DateTimeOffset? CurrentTime
    {
        get => _ticks[ConditionKey.CurrentTimeSlot] is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        set => _ticks[ConditionKey.CurrentTimeSlot] = value?.UtcTicks;
    }

    /// <summary>
    /// Sets a condition key named as policies name it (any case) from text, as a test case or a
    /// person writes it; values are read the way policies read theirs. Only the multi-valued key
    /// takes several. Returns what is wrong, or null.
    /// </summary>
    public string? Set(string keyName, IReadOnlyList<string> values)
    {
        if (ConditionKey.Find(keyName) is not { } key)
        {
            return $"'{keyName}' is not a condition key; the keys are {string.Join(", ", ConditionKey.All.Select(k => k.Name))}";
        }
        if (key.IsMultiValued)
        {
            _stringLists[key.Slot] = values;
            return null;
        }
        if (values is not [var text])
        {
            return $"{key.Name} takes one value";
        }
        switch (key.Type)
        {
            case ConditionKeyType.String:
                _strings[key.Slot] = text;
                return null;
            case ConditionKeyType.Number:
                if (ConditionValues.NumberProblem(text) is { } numberProblem)
                {
                    return numberProblem;
                }
                _numbers[key.Slot] = ConditionValues.ParseNumber(text);
                return null;
            case ConditionKeyType.Date:
                if (!ConditionValues.TryParseDate(text, out var ticks))
                {
                    return ConditionValues.DateProblem(text);
                }
                _ticks[key.Slot] = ticks;
                return null;
            case ConditionKeyType.Bool:
                if (!bool.TryParse(text, out var flag))
                {
                    return $"'{text}' is not true or false";
                }
                _bools[key.Slot] = flag;
                return null;
            default:
                if (!IPAddress.TryParse(text, out var address))
                {
                    return $"'{text}' is not an IP address";
                }
                _addresses[key.Slot] = Canonical(address);
                return null;
        }
    }

    /// <summary>An IPv4 address written as IPv6 (<c>::ffff:…</c>) as the IPv4 address it is, so that IPv4 networks contain it.</summary>
    private static IPAddress? Canonical(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>Makes every key absent and the action and resource empty, ready to be filled again.</summary>
    public void Clear()
    {
        Array.Clear(_strings);
        Array.Clear(_stringLists);
        Array.Clear(_numbers);
        Array.Clear(_ticks);
        Array.Clear(_bools);
        Array.Clear(_addresses);
        _action = "";
        _resource = "";
    }

    /// <summary>How many values the request has for the key: 0 when absent (or an empty set), 1 for a single-valued key.</summary>
    internal int CountOf(ConditionKey key) => key.Type switch
    {
        ConditionKeyType.String when key.IsMultiValued => _stringLists[key.Slot]?.Count ?? 0,
        ConditionKeyType.String => _strings[key.Slot] is null ? 0 : 1,
        ConditionKeyType.Number => _numbers[key.Slot] is null ? 0 : 1,
        ConditionKeyType.Date => _ticks[key.Slot] is null ? 0 : 1,
        ConditionKeyType.Bool => _bools[key.Slot] is null ? 0 : 1,
        _ => _addresses[key.Slot] is null ? 0 : 1,
    };

    // The typed readers are called only for an index below CountOf(key).

    internal string StringAt(ConditionKey key, int index) =>
        key.IsMultiValued ? _stringLists[key.Slot]![index] : _strings[key.Slot]!;

    internal decimal NumberOf(ConditionKey key) => _numbers[key.Slot].GetValueOrDefault();

    internal long TicksOf(ConditionKey key) => _ticks[key.Slot].GetValueOrDefault();

    internal bool BoolOf(ConditionKey key) => _bools[key.Slot].GetValueOrDefault();

    internal IPAddress AddressOf(ConditionKey key) => _addresses[key.Slot]!;
}
