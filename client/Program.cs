using HpBandSter.Client;

return Cli.Run(args, Console.Out, Console.Error);
