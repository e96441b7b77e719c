using MarginOrleans.Gateway;

// Settings come from appsettings.json beside the binary, wherever the gateway is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMarginGateway();
var app = builder.Build();
app.MapMarginGateway();
app.Run();
