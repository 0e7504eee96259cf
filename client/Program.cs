using HpBandSter.Client;

return await Cli.RunAsync(args, Console.Out, Console.Error, handleCtrlC: true);
