using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Gateway.Security;

/// <summary>
/// Control characters outside JSON bodies (which ServiceDefaults' <see cref="ControlCharacters"/> checks) are refused at
/// the door, for every service behind it: a NUL in an address's path (a cooperative's slug, a pickup code), in a query
/// parameter, or in the token endpoint's form (the login) would otherwise reach PostgreSQL, which cannot hold one, and
/// answer 500. The answer is a 400 problem naming the parameter (or <c>path</c>), as a field.
/// </summary>
public static class ControlCharacterRefusal
{
    private static readonly string[] Message = ["Control characters are not allowed here."];

    private static readonly string[] Code = [ControlCharacters.Code];

    public static IApplicationBuilder UseControlCharacterRefusal(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var refused = new List<string>();
        if (ControlCharacters.Refused(http.Request.Path.Value, allowLineBreaks: false))
        {
            refused.Add("path");
        }

        refused.AddRange(http.Request.Query
            .Where(q => ControlCharacters.Refused(q.Key, allowLineBreaks: false) || q.Value.Any(v => ControlCharacters.Refused(v, allowLineBreaks: false)))
            .Select(q => Printable(q.Key)));

        // The token endpoint's form is read by OpenIddict, not by our JSON rule. Passwords are hashed, never stored or
        // compared as text: any character is theirs to have.
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/connect", StringComparison.OrdinalIgnoreCase)
            && http.Request.HasFormContentType)
        {
            refused.AddRange((await FormAsync(http))
                .Where(f => !f.Key.Contains("password", StringComparison.OrdinalIgnoreCase)
                    && (ControlCharacters.Refused(f.Key, allowLineBreaks: false) || f.Value.Any(v => ControlCharacters.Refused(v, allowLineBreaks: false))))
                .Select(f => Printable(f.Key)));
        }

        if (refused.Count == 0)
        {
            await next(http);
            return;
        }

        var fields = refused.Distinct(StringComparer.Ordinal).ToList();
        await TypedResults.Problem(
            "Control characters are not allowed in the address or these fields.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Some fields need attention.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ControlCharacters.Code,
                ["errors"] = fields.ToDictionary(f => f, _ => Message),
                ["fieldCodes"] = fields.ToDictionary(f => f, _ => Code),
            }).ExecuteAsync(http);
    });

    /// <summary>
    /// The form's fields. ASP.NET Core's form reader refuses a NUL itself, with an exception that would answer 500 and
    /// name no field: then the body (small: a token request) is read again as it came, to say which field held it.
    /// </summary>
    private static async Task<IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>> FormAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        try
        {
            return await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            http.Request.Body.Position = 0;
            using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(await reader.ReadToEndAsync(http.RequestAborted));
        }
    }

    // A parameter's own name may carry the control character: it is named without it.
    private static string Printable(string name) => string.Concat(name.Where(c => !char.IsControl(c)));
}
