using System.CommandLine;
using MarginOrleans.Cli;
using MarginOrleans.Cli.Commands;

var root = new RootCommand("margin — the MarginOrleans command line: markets, your account and isolated positions, and operator tasks.");
root.Options.Add(Connection.Gateway);
root.Options.Add(Connection.Key);
root.Subcommands.Add(MarketCommands.Markets());
root.Subcommands.Add(AccountCommands.Account());
root.Subcommands.Add(AccountCommands.Journal());
root.Subcommands.Add(AccountCommands.Withdraw());
root.Subcommands.Add(PositionCommands.Preview());
root.Subcommands.Add(PositionCommands.Open());
root.Subcommands.Add(PositionCommands.Close());
root.Subcommands.Add(PositionCommands.Margin("add-margin", add: true));
root.Subcommands.Add(PositionCommands.Margin("remove-margin", add: false));
root.Subcommands.Add(WatchCommand.Watch());
root.Subcommands.Add(AdminCommands.Admin());
return await root.Parse(args).InvokeAsync();
