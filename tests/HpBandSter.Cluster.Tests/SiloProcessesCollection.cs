namespace HpBandSter.Cluster.Tests;

/// <summary>Tests that start a cluster of silo processes: xunit runs the tests of one collection one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SiloProcessesCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Silo processes";
}
