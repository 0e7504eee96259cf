using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace HpBandSter.Orleans.Tests;

/// <summary>Bad hosting settings stop the silo at start-up with a message naming the setting.</summary>
public sealed class HostingValidationTests
{
    [Fact]
    public async Task A_negative_slot_count_fails_the_silo_start_naming_the_option()
    {
        var error = await StartFailureAsync(silo => silo.AddHpBandSterWorker(o => o.Slots = -1));
        Assert.Contains("WorkerOptions.Slots", error, StringComparison.Ordinal);
        Assert.Contains("-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_data_directory_fails_the_silo_start_naming_the_option()
    {
        var error = await StartFailureAsync(silo => silo.AddHpBandSter(o => o.DataDirectory = " "));
        Assert.Contains("HpBandSterOptions.DataDirectory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_objective_name_registered_twice_fails_the_silo_start_naming_it()
    {
        var error = await StartFailureAsync(silo => silo
            .AddHpBandSterWorker(o => o.Slots = 1)
            .AddObjective("twice", (_, _) => 0.0, TestObjectives.Space)
            .AddObjective("twice", (_, _) => 1.0, TestObjectives.Space));
        Assert.Contains("'twice'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void An_unusable_objective_name_is_refused_when_registered(string name)
    {
        var builder = Host.CreateApplicationBuilder();
        var e = Assert.Throws<ArgumentException>(() => builder.UseOrleans(silo => silo.AddObjective(name, (_, _) => 0.0)));
        Assert.Contains("AddObjective", e.Message, StringComparison.Ordinal);
    }

    private static async Task<string> StartFailureAsync(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            configure(silo);
        });
        using var host = builder.Build();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        return e.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
