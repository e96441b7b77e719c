using MarginOrleans.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddMarginSilo();
await builder.Build().RunAsync();
