global using MarginOrleans.Accounts;
global using MarginOrleans.Markets;
global using MarginOrleans.Operations;
global using MarginOrleans.Positions;
global using Xunit;
