namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// Marks a public, non-abstract class implementing <see cref="IObjective"/> in a plugin assembly as the objective
/// <see cref="Name"/> (the silo program's <c>--plugin PATH</c>; <c>AddObjectivePlugin</c> in a custom host). The class
/// is created once per silo with dependency injection (its constructor may take an <c>ILogger&lt;T&gt;</c>, ...).
/// </summary>
/// <param name="name">The name runs use for the objective (no spaces).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ObjectiveAttribute(string name) : Attribute
{
    /// <summary>The name runs use for the objective.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// The default search space as ConfigSpace JSON, for objectives whose <see cref="IObjective.SearchSpace"/> is
    /// null. Optional; not together with <see cref="SearchSpaceResource"/>.
    /// </summary>
    public string? SearchSpaceJson { get; set; }

    /// <summary>
    /// The name of an embedded resource of the plugin assembly holding the default search space as ConfigSpace JSON
    /// (such as <c>MyPlugin.space.json</c>), for objectives whose <see cref="IObjective.SearchSpace"/> is null. Optional.
    /// </summary>
    public string? SearchSpaceResource { get; set; }
}
