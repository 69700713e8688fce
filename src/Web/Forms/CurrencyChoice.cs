using Marketplace.ServiceDefaults.Formatting;
using Marketplace.Web.Api;

namespace Marketplace.Web.Forms;

public static class CurrencyChoice
{
    /// <summary>
    /// <c>/mata-uang/{code}</c>: remembers the visitor's currency for approximate prices in a cookie (as <c>/bahasa</c>
    /// does her language) and returns to the page; <c>idr</c>, or an unknown code, goes back to rupiah only.
    /// </summary>
    public static WebApplication MapCurrencyChoice(this WebApplication app)
    {
        app.MapGet("/mata-uang/{code}", (string code, string? kembali, HttpContext http) =>
        {
            if (ForeignCurrencies.Find(code) is { } currency)
            {
                http.Response.Cookies.Append(VisitorCurrency.Cookie, currency.Code, new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, Secure = http.Request.IsHttps, Path = "/",
                });
            }
            else
            {
                http.Response.Cookies.Delete(VisitorCurrency.Cookie, new CookieOptions { Path = "/" });
            }

            return Results.LocalRedirect(LocalPaths.OrHome(kembali));
        });
        return app;
    }

    public static string Path(string code, string back) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/mata-uang/{code}", "kembali", back);
}
