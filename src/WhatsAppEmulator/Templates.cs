using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Marketplace.WhatsAppEmulator;

/// <summary>An approved template: its body text with <c>{{1}}</c>, <c>{{2}}</c>... placeholders, per name and language.</summary>
public sealed record TemplateDefinition
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Meta's language code, matched exactly: <c>id</c>, <c>en</c>, <c>en_US</c>.</summary>
    public string Language { get; init; } = string.Empty;

    public string Body { get; init; } = string.Empty;

    /// <summary><c>utility</c>, <c>marketing</c> or <c>authentication</c>; webhooks report it as the pricing category.</summary>
    public string Category { get; init; } = "utility";
}

/// <summary>
/// The business's approved templates. A send must name one with its language and give exactly as many body
/// parameters as the body has placeholders, as Meta checks.
/// </summary>
public sealed partial class TemplateRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Name, string Language), TemplateDefinition> _templates = [];

    public TemplateRegistry(IOptions<WhatsAppEmulatorOptions> options)
    {
        // Every WhatsApp Business Account starts with Meta's sample template.
        Register(new TemplateDefinition
        {
            Name = "hello_world",
            Language = "en_US",
            Body = "Hello World\n\nWelcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.",
        });
        foreach (var template in options.Value.Templates.Concat(FromFile(options.Value.TemplatesFile)))
        {
            var problem = Register(template);
            if (problem is not null)
            {
                throw new OptionsValidationException(WhatsAppEmulatorOptions.Section, typeof(WhatsAppEmulatorOptions), [problem]);
            }
        }
    }

    private static IEnumerable<TemplateDefinition> FromFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            yield break;
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, path)));
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            foreach (var language in (string[])["id", "en"])
            {
                if (entry.TryGetProperty(language, out var body))
                {
                    yield return new TemplateDefinition { Name = entry.GetProperty("name").GetString()!, Language = language, Body = body.GetString()! };
                }
            }
        }
    }

    /// <summary>Adds or replaces a template; returns why it cannot be registered, or null.</summary>
    public string? Register(TemplateDefinition template)
    {
        // Bound from JSON or configuration, any of these may be missing whatever the declared types say.
        if (string.IsNullOrEmpty(template.Name) || !NamePattern().IsMatch(template.Name))
        {
            return $"Template name '{template.Name}' must be lowercase letters, digits and underscores (at most 512).";
        }

        if (string.IsNullOrWhiteSpace(template.Language) || string.IsNullOrWhiteSpace(template.Body))
        {
            return $"Template '{template.Name}' needs a language and a body.";
        }

        var numbers = Placeholders(template.Body).Distinct().Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)))
        {
            return $"Template '{template.Name}' must number its placeholders {{{{1}}}} to {{{{n}}}} without gaps.";
        }

        lock (_gate)
        {
            _templates[(template.Name, template.Language)] = template with
            {
                Category = string.IsNullOrWhiteSpace(template.Category) ? "utility" : template.Category.ToLowerInvariant(),
            };
        }

        return null;
    }

    public TemplateDefinition? Find(string name, string language)
    {
        lock (_gate)
        {
            return _templates.GetValueOrDefault((name, language));
        }
    }

    public IReadOnlyList<TemplateDefinition> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _templates.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Language, StringComparer.Ordinal)];
            }
        }
    }

    public static int ParameterCount(TemplateDefinition template) => Placeholders(template.Body).DefaultIfEmpty(0).Max();

    /// <summary>The body as the recipient's phone shows it: each <c>{{n}}</c> replaced by the n-th parameter.</summary>
    public static string Render(TemplateDefinition template, IReadOnlyList<string> parameters) =>
        PlaceholderPattern().Replace(template.Body, m =>
        {
            var index = int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) - 1;
            return index < parameters.Count ? parameters[index] : m.Value;
        });

    private static IEnumerable<int> Placeholders(string body) =>
        PlaceholderPattern().Matches(body).Select(m => int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\{\{\s*(\d{1,3})\s*\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex NamePattern();
}
