using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.ServiceDefaults.Data;

public static class JsonColumnExtensions
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a small value object (a list, a dictionary) as one jsonb column, compared by content.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(property);
        property.HasConversion(
                value => JsonSerializer.Serialize(value, Options),
                json => JsonSerializer.Deserialize<T>(json, Options) ?? new T(),
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    value => JsonSerializer.Serialize(value, Options).GetHashCode(StringComparison.Ordinal),
                    value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!))
            .HasColumnType("jsonb");
        return property;
    }

    /// <summary>A record without a parameterless constructor (a value object) stored as a jsonb column.</summary>
    public static PropertyBuilder<T> HasJsonValueConversion<T>(this PropertyBuilder<T> property)
        where T : class?
    {
        ArgumentNullException.ThrowIfNull(property);
        property.HasConversion(
                value => value == null ? null : JsonSerializer.Serialize(value, Options),
                json => json == null ? null! : JsonSerializer.Deserialize<T>(json, Options)!,
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    value => value == null ? 0 : JsonSerializer.Serialize(value, Options).GetHashCode(StringComparison.Ordinal),
                    value => value == null ? null! : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!))
            .HasColumnType("jsonb");
        return property;
    }
}
