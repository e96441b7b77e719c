using Microsoft.Extensions.FileProviders;

namespace MarginOrleans.Gateway.Rest;

/// <summary>
/// The web panel: static files (wwwroot beside the binary) at <c>/</c>, framework-free HTML, CSS
/// and JavaScript that call the REST API like any client. Its pages may load nothing but the
/// gateway's own files (Content-Security-Policy), so no CDN and no inline script can run in them.
/// </summary>
public static class PanelSetup
{
    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

    public static WebApplication UseMarginPanel(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("No web panel: {Root} is missing", root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = served =>
            {
                served.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                served.Context.Response.Headers.XContentTypeOptions = "nosniff";
                served.Context.Response.Headers.CacheControl = "no-cache"; // a new gateway's panel is used at once
            },
        });
        return app;
    }
}
