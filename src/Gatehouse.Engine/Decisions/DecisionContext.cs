using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Models;

namespace Gatehouse.Engine.Decisions;

/// <summary>What the stages learn about one request as it moves through them.</summary>
public sealed class DecisionContext(DecisionRequest request, GatewayConfiguration configuration, DateTimeOffset now)
{
    private readonly List<TraceEntry> _trace = [];

    public DecisionRequest Request { get; } = request;
    public GatewayConfiguration Configuration { get; } = configuration;

    /// <summary>The instant the decision is made at: key expiry is judged against it and it is the decision's time.</summary>
    public DateTimeOffset Now { get; } = now;
    public ModelDefinition? Model { get; set; }
    public GeoLocation? Location { get; set; }
    /// <summary>The endpoints that may serve, in the order they are tried.</summary>
    public IReadOnlyList<EndpointDefinition> Endpoints { get; set; } = [];

    /// <summary>The endpoint that serves first.</summary>
    public EndpointDefinition? Endpoint => Endpoints.Count > 0 ? Endpoints[0] : null;

    private Licensing.LicensedCountries? _licensedCountries;
    private bool _licensedCountriesKnown;

    /// <summary>
    /// The countries the caller's organisation's licences in force cover for <see cref="Model"/>;
    /// null without any. Worked out once per decision, when first asked, for the identity rules
    /// and the policies alike.
    /// </summary>
    internal Licensing.LicensedCountries? LicensedCountries
    {
        get
        {
            if (!_licensedCountriesKnown)
            {
                _licensedCountries = Request.Principal is { Licenses.Count: > 0 } principal && Model is { } model
                    ? Licensing.LicenseCoverage.Countries(principal.Licenses, model.Id, Now)
                    : null;
                _licensedCountriesKnown = true;
            }
            return _licensedCountries;
        }
    }

    /// <summary>The export licence that lifted a jurisdiction restriction, if one did.</summary>
    public Licensing.ExportLicense? License { get; set; }
    public IReadOnlyList<TraceEntry> Trace => _trace;

    /// <summary>
    /// Asks whether anything but jurisdiction refuses the request: caller and account countries
    /// count as licensed everywhere (never past an embargo). Set only to judge a substitution.
    /// </summary>
    public bool LiftsJurisdictions { get; init; }

    public void Record(DecisionLayer layer, string rule, string outcome, string detail) =>
        _trace.Add(new TraceEntry(layer, rule, outcome, detail));
}
