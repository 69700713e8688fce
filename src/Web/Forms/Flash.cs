namespace Marketplace.Web.Forms;

/// <summary>A message for the next page only: set with a redirect, shown once by <c>Notice</c>, then gone.</summary>
public static class Flash
{
    public const string Cookie = "web.flash";

    public static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        MaxAge = TimeSpan.FromMinutes(2),
        Path = "/",
    };

    /// <summary>The message waiting for this page, if any; it is removed as it is read.</summary>
    public static string? Take(HttpContext http)
    {
        var message = http.Request.Cookies[Cookie];
        if (message is not null && !http.Response.HasStarted)
        {
            http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
        }

        return message;
    }
}
