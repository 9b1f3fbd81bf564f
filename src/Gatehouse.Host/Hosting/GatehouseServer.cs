using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Observability;
using Gatehouse.Engine.Storage;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Counters;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Forwarding;
using Gatehouse.Host.Identity;
using Gatehouse.Host.Observability;
using Gatehouse.Host.Usage;
using Gatehouse.Engine.Storage.Relational;
using Gatehouse.Storage.Postgres;
using Gatehouse.Storage.Sqlite;

namespace Gatehouse.Host.Hosting;

/// <summary>Builds the gateway: data plane and admin API in one process, on separate listeners.</summary>
internal static partial class GatehouseServer
{
    public const string AdminTokenFileName = "admin-token";

    /// <summary>
    /// Loads and validates the configuration, migrates the store, makes sure an admin token
    /// exists, and returns the application ready to start.
    /// </summary>
    /// <exception cref="ConfigurationException">The configuration file is invalid.</exception>
    /// <param name="configureServices">Runs after the gateway's own registrations (tests add readiness checks and the like).</param>
    public static async Task<WebApplication> BuildAsync(ServeSettings settings, GatewayEnvironment environment, Action<ILoggingBuilder>? configureLogging = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var configuration = ConfigurationLoader.LoadOrThrow(settings.ConfigPath, environment.Read);
        var dataPlaneListeners = settings.DataPlaneUrls ?? configuration.DataPlaneListeners;
        var adminListeners = settings.AdminUrls ?? configuration.AdminListeners;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var metrics = new GatehouseMetrics(TimeProvider.System);
        builder.AddGatehouseTelemetry(configuration.Observability, metrics);
        // Per-request framework logs would drown the gateway's own decisions.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        var boundListeners = new BoundListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            boundListeners.Listen(kestrel, dataPlaneListeners, Plane.DataPlane);
            boundListeners.Listen(kestrel, adminListeners, Plane.Admin);
        });

        var store = OpenStore(configuration.Storage, environment);
        var services = builder.Services;
        services.AddSingleton(boundListeners);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(environment);
        // Through a factory, so that the container disposes the store (and its connection pool) at shutdown.
        services.AddSingleton(_ => store);
        services.AddSingleton<IGatehouseStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IAuditLogStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<AuditWriter>();
        // Registered before the other hosted services, so it stops after them: what they finish still gets recorded.
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddHostedService<AuditRetention>();
        services.AddSingleton<IUsageStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton(sp => new SharedCounters(configuration, environment, metrics, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SharedCounters>>()));
        services.AddSingleton(_ => new SpendLedger(shared: configuration.Redis is not null));
        services.AddSingleton<SharedSpend>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedSpend>());
        services.AddSingleton<BudgetAdministration>();
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddSingleton(sp => new ConfigurationState(configuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IdentityState>();
        services.AddSingleton<GeoIpState>();
        services.AddSingleton(sp => DecisionPipeline.CreateDefault(sp.GetRequiredService<GeoIpState>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IdentityState>(), sp.GetRequiredService<IdentityState>(), sp.GetRequiredService<SpendLedger>(), sp.GetRequiredService<GatehouseMetrics>(),
            configuration.Redis is null ? null : sp.GetRequiredService<SharedCounters>(), sp.GetRequiredService<IdentityState>()));
        services.AddSingleton(sp => new IdentityOperations(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SanctionsState>();
        services.AddSingleton<SanctionsScreening>();
        services.AddSingleton<IdentityAdministration>();
        services.AddSingleton<OutsideDenialCounter>();
        services.AddSingleton<IdentityMonitor>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<DataPlaneHandler>();
        services.AddSingleton<ModelListing>();
        services.AddSingleton<UpstreamInvoker>();
        services.AddHttpForwarder();
        services.AddHostedService<ConfigurationWatcher>();
        services.AddHostedService<GeoIpWatcher>();
        services.AddReadinessChecks(configuration);
        if (store is IStoreChangeFeed feed)
        {
            services.AddSingleton(feed);
            services.AddSingleton<StoreChangeListener>();
            services.AddHostedService(sp => sp.GetRequiredService<StoreChangeListener>());
            services.AddSingleton<IReadinessCheck, StoreChangesReadinessCheck>();
        }
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Loaded before the listeners open, so the first requests are placed like all later ones.
        var geo = app.Services.GetRequiredService<GeoIpState>();
        await Task.Run(() => GeoIpWatcher.LoadNow(geo, configuration.Geo.Sources, app.Logger));
        await store.MigrateAsync(app.Lifetime.ApplicationStopping);
        var stateDirectory = configuration.Storage.StateDirectory;
        Directory.CreateDirectory(stateDirectory);
        await app.Services.GetRequiredService<AuditWriter>().OpenAsync(Path.Combine(stateDirectory, AuditWriter.HeadFileName), app.Lifetime.ApplicationStopping);
        var identity = app.Services.GetRequiredService<IdentityState>();
        await identity.LoadAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<SanctionsState>().LoadAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<SharedCounters>().ConnectAsync();
        await app.Services.GetRequiredService<BudgetAdministration>().LoadAsync(app.Lifetime.ApplicationStopping);
        var tokenFile = Path.Combine(stateDirectory, AdminTokenFileName);
        if (await app.Services.GetRequiredService<IdentityAdministration>().EnsureAdminTokenAsync(tokenFile, app.Lifetime.ApplicationStopping))
        {
            LogAdminTokenWritten(app.Logger, tokenFile);
        }

        Observe(metrics, app.Services);

        foreach (var endpoint in configuration.Models.Endpoints.Where(e => e.IsMissingApiKey))
        {
            LogMissingUpstreamKey(app.Logger, endpoint.Id, endpoint.ApiKeyVariable!);
        }

        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler(errorApp => errorApp.Run(UnhandledErrorAsync));
        app.UseRouting();
        app.Use(Planes.GuardAsync);
        app.UseMiddleware<AdminAuthentication>();
        app.MapHealthApi();
        app.MapMetricsApi(configuration.Observability);
        app.MapDataPlaneApi();
        app.MapAdminApi();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger,
            string.Join(", ", dataPlaneListeners), string.Join(", ", adminListeners), configuration.SourcePath));
        return app;
    }

    /// <summary>The configured store; the PostgreSQL password is read from the environment here and goes nowhere but the driver.</summary>
    private static RelationalStore OpenStore(StorageSettings storage, GatewayEnvironment environment) => storage.Provider switch
    {
        StorageSettings.Postgres => new PostgresStore(storage.ConnectionString!, storage.PasswordVariable is { } variable ? environment.Read(variable) : null),
        _ => new SqliteStore(storage.Path!),
    };

    private static void Observe(GatehouseMetrics metrics, IServiceProvider services)
    {
        var audit = services.GetRequiredService<AuditWriter>();
        metrics.ObserveAuditQueueDepth(() => audit.QueueDepth);
        var configuration = services.GetRequiredService<ConfigurationState>();
        var identity = services.GetRequiredService<IdentityState>();
        var geo = services.GetRequiredService<GeoIpState>();
        var sanctions = services.GetRequiredService<SanctionsState>();
        metrics.ObserveSnapshot("configuration", () => configuration.LoadedAt);
        metrics.ObserveSnapshot("identity", () => identity.SwappedAt);
        metrics.ObserveSnapshot("geoip", () => geo.Current.LoadedAt);
        metrics.ObserveSnapshot("sanctions", () => sanctions.SwappedAt);
    }

    /// <summary>The last line of defence: a bug becomes a plain 500 in the caller's dialect, never a stack trace.</summary>
    private static Task UnhandledErrorAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
            return Results.Problem(title: "Internal error", detail: $"The gateway failed to handle this request (request id {context.TraceIdentifier}); the log has the details.", statusCode: 500)
                .ExecuteAsync(context);
        }
        context.Response.Headers[RequestIdMiddleware.Header] = context.TraceIdentifier;
        return ApiErrors.WriteAsync(context, ApiErrors.DialectOf(context.Request), ErrorKind.Internal,
            $"The gateway failed to handle this request (request id {context.TraceIdentifier}). Contact your administrator with the request id.");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No admin token existed, so one was created and written to {TokenFile} (readable by this user only). Use it as 'Authorization: Bearer <token>' or GATEHOUSE_ADMIN_TOKEN for the CLI.")]
    private static partial void LogAdminTokenWritten(ILogger logger, string tokenFile);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} is unusable: its upstream key variable {Variable} is not set")]
    private static partial void LogMissingUpstreamKey(ILogger logger, string endpoint, string variable);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Gatehouse is serving: data plane on {DataPlane}, admin API on {Admin}, configuration {ConfigPath}")]
    private static partial void LogListening(ILogger logger, string dataPlane, string admin, string configPath);
}
