namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>
/// Where a form may send the browser back to: a path on this site only. An absolute URL, "//host", a backslash or
/// a control character (browsers drop tabs and newlines, so "/\t/evil.example" becomes "//evil.example") would make
/// the redirect an open one.
/// </summary>
public static class LocalPaths
{
    public static bool IsLocal(string? path) =>
        path is { Length: > 0 } && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && !path.Any(c => char.IsControl(c) || c == '\\');

    /// <summary>The path if it is local, else the home page.</summary>
    public static string OrHome(string? path) => IsLocal(path) ? path! : "/";
}
