using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Gatehouse.Engine.Models;

/// <summary>The configured models, found by id or alias.</summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelDefinition> _byName;

    public ModelCatalog(IReadOnlyList<ModelDefinition> models)
    {
        All = models;
        Endpoints = [.. models.SelectMany(m => m.Endpoints)];
        Regions = [.. Endpoints.Select(e => e.Region).Distinct(StringComparer.Ordinal)];
        var byName = new Dictionary<string, ModelDefinition>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            byName.Add(model.Id, model);
            foreach (var alias in model.Aliases)
            {
                byName.Add(alias, model);
            }
        }
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>In configuration order.</summary>
    public IReadOnlyList<ModelDefinition> All { get; }

    /// <summary>Every model's endpoints, model by model in configuration order.</summary>
    public IReadOnlyList<EndpointDefinition> Endpoints { get; }

    /// <summary>Every region a configured endpoint is in, once each.</summary>
    public IReadOnlyList<string> Regions { get; }

    public bool TryResolve(string name, [NotNullWhen(true)] out ModelDefinition? model) =>
        _byName.TryGetValue(name, out model);
}
