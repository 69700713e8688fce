namespace Marketplace.Gateway.Security;

/// <summary>Bound from <c>SecurityHeaders</c>.</summary>
public sealed class SecurityHeaderOptions
{
    public const string SectionName = "SecurityHeaders";

    /// <summary>
    /// The content security policy for every response. Pages load scripts, styles and images from the marketplace
    /// itself only, and no other site may frame them. Adding a payment form means adding its origin here.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

public static class SecurityHeaders
{
    /// <summary>
    /// The admin's kiosk page scans pickup QR codes with the camera, and the counter's sale screen scans shelf labels;
    /// every other page keeps the camera switched off, so a script that slipped into one could not film anyone.
    /// </summary>
    public const string KioskPage = "/admin/kiosk";

    public const string CounterSaleScreen = "/kasir/jual";

    private static bool MayFilm(PathString path) =>
        path.Equals(KioskPage, StringComparison.OrdinalIgnoreCase) || path.Equals(CounterSaleScreen, StringComparison.OrdinalIgnoreCase);

    /// <summary>Sets the security headers on every response, the proxied ones included.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityHeaderOptions>>().Value;
        return app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = MayFilm(http.Request.Path)
                    ? "camera=(self), microphone=(), geolocation=(), payment=(self)"
                    : "camera=(), microphone=(), geolocation=(), payment=(self)";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
