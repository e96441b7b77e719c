global using Xunit;
global using MarginOrleans.Markets;
global using MarginOrleans.Accounts;
global using MarginOrleans.Positions;
global using MarginOrleans.Operations;
