using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Catalog.Common;

internal static class Text
{
    /// <summary>Trims a required field and checks its length, naming the field in the error.</summary>
    public static string Required(string? value, string field, int max, int min = 1)
    {
        var trimmed = (value ?? string.Empty).Trim();
        if (trimmed.Length < min || trimmed.Length > max)
        {
            throw new DomainException($"{field} must be {min} to {max} characters long.", $"invalid_{field}");
        }

        return trimmed;
    }

    /// <summary>Trims an optional field (blank becomes null) and checks its length.</summary>
    public static string? Optional(string? value, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > max)
        {
            throw new DomainException($"{field} must be at most {max} characters long.", $"invalid_{field}");
        }

        return trimmed;
    }
}
