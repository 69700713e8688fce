using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Marketplace.ServiceDefaults.Errors;

/// <summary>
/// Refuses control characters in every string a JSON body carries, so a NUL (which PostgreSQL cannot store) or an
/// escape sequence never reaches a handler or a page. One rule for every service, applied where the body is read:
/// line breaks and tabs only in texts that may span lines (a description, a story, a reason), nothing else anywhere.
/// The refusal is a 400 at the field (its JSON path), through <see cref="DomainExceptionHandler"/>.
/// </summary>
public static class ControlCharacters
{
    public const string Code = "control_character";

    // Property names (any casing, any prefix such as descriptionId or deliveryNote) whose texts may have several lines.
    private static readonly string[] MultiLineNames = ["description", "story", "reason", "note", "message", "address", "bio", "comment", "instructions", "rates"];

    private static readonly StrictStringConverter SingleLine = new(allowLineBreaks: false);

    // Strings inside lists and dictionaries have no property name to judge by: they may have line breaks.
    private static readonly StrictStringConverter MultiLine = new(allowLineBreaks: true);

    /// <summary>Adds the rule to <paramref name="options"/>: every string read is checked.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(MultiLine);
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(PerProperty);
    }

    /// <summary>True if <paramref name="text"/> holds a control character not allowed in it.</summary>
    public static bool Refused(string? text, bool allowLineBreaks)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }

    public static bool AllowsLineBreaks(string propertyName) =>
        MultiLineNames.Any(n => propertyName.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static void PerProperty(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string) && property.CustomConverter is null)
            {
                property.CustomConverter = AllowsLineBreaks(property.Name) ? MultiLine : SingleLine;
            }
        }
    }

    private sealed class StrictStringConverter(bool allowLineBreaks) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return Refused(text, allowLineBreaks)
                ? throw new ControlCharacterException(allowLineBreaks
                    ? "Control characters are not allowed here (line breaks and tabs are)."
                    : "Control characters (including line breaks and tabs) are not allowed here.")
                : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>A string in a JSON body holds a control character; the serializer adds the field's path.</summary>
public sealed class ControlCharacterException(string message) : JsonException(message)
{
    /// <summary>The field as the services name it (<c>variants[1].name</c>), from the JSON path (<c>$.variants[1].name</c>).</summary>
    public string Field => (Path ?? "$") switch
    {
        "$" => string.Empty,
        var p when p.StartsWith("$.", StringComparison.Ordinal) => p[2..],
        var p => p.TrimStart('$'),
    };

    /// <summary>The message without the path the serializer appends to it.</summary>
    public string Reason { get; } = message;
}
