using MarginOrleans.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

// Settings come from appsettings.json beside the binary, wherever the silo is started from.
var settings = new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory };
var host = Host.CreateApplicationBuilder(settings);
if (!host.Configuration.GetValue<bool>("Margin:Dashboard:Enabled"))
{
    host.AddMarginSilo();
    await host.Build().RunAsync();
    return;
}

// With the Orleans Dashboard the silo also serves HTTP, on loopback only.
var web = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
web.AddMarginSilo();
web.WebHost.UseUrls($"http://127.0.0.1:{web.Configuration.GetValue("Margin:Dashboard:Port", 8080)}");
var app = web.Build();
app.MapOrleansDashboard();
await app.RunAsync();
