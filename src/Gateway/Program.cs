using MarginOrleans.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarginGateway();
var app = builder.Build();
app.MapMarginGateway();
app.Run();
