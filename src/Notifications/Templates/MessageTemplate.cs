namespace Marketplace.Notifications.Templates;

/// <summary>
/// A message as registered with WhatsApp (and rendered the same way for email): a name, and a body per language with
/// placeholders <c>{{1}}</c>, <c>{{2}}</c>... filled from the parameters in order.
/// </summary>
public sealed record MessageTemplate(string Name, string Indonesian, string English)
{
    public int ParameterCount => Enumerable.Range(1, 20).Count(i => Indonesian.Contains($"{{{{{i}}}}}", StringComparison.Ordinal));

    public string Body(string language) => language == "en" ? English : Indonesian;

    public string Render(string language, IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var text = Body(language);
        for (var i = parameters.Count; i >= 1; i--)
        {
            text = text.Replace($"{{{{{i}}}}}", parameters[i - 1], StringComparison.Ordinal);
        }

        return text;
    }
}
