using System.CommandLine;

var root = new RootCommand("hpbandster: BOHB, HyperBand, RandomSearch and H2BO on an Orleans cluster.");
return root.Parse(args).Invoke();
