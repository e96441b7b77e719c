using MarginOrleans.Silo;
using Microsoft.Extensions.Hosting;

// Settings come from appsettings.json beside the binary, wherever the silo is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMarginSilo();
await builder.Build().RunAsync();
