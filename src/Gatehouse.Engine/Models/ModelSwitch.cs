namespace Gatehouse.Engine.Models;

/// <summary>
/// The kill switch of one model, as an operator last set it. A disabled model is refused to
/// everyone, from the next request, whatever the rest of the pipeline would say.
/// </summary>
/// <param name="ModelId">A configured model's id.</param>
/// <param name="Reason">The operator's words, shown to callers while the model is disabled.</param>
/// <param name="ChangedBy">The admin token (<c>gha_… (role)</c>) that set it.</param>
public sealed record ModelSwitch(string ModelId, bool Disabled, string Reason, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>Where the decision pipeline learns which models are switched off.</summary>
public interface IModelSwitches
{
    /// <summary>The switch that disables <paramref name="modelId"/>, or null while it is enabled.</summary>
    ModelSwitch? DisabledSwitch(string modelId);
}
