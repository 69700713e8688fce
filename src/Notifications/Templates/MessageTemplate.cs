namespace Marketplace.Notifications.Templates;

/// <summary>
/// A message as registered with WhatsApp (and rendered the same way for email): a name, and a body per language with
/// placeholders <c>{{1}}</c>, <c>{{2}}</c>... filled from the parameters in order. Email also needs a subject per
/// language, which may use the same placeholders.
/// </summary>
public sealed record MessageTemplate(string Name, string Indonesian, string English)
{
    public const string DefaultSubject = "Oleh-oleh Pantai Binor";

    public string SubjectIndonesian { get; init; } = DefaultSubject;

    public string SubjectEnglish { get; init; } = DefaultSubject;

    /// <summary>
    /// Its parameters hand something over (a reset link, an invitation code): they are erased once the provider has the
    /// message (see <see cref="Deliveries.Notification.Accepted"/>).
    /// </summary>
    public bool Secret { get; init; }

    public int ParameterCount => Enumerable.Range(1, 20).Count(i => Indonesian.Contains($"{{{{{i}}}}}", StringComparison.Ordinal));

    public string Body(string language) => language == "en" ? English : Indonesian;

    public string Subject(string language) => language == "en" ? SubjectEnglish : SubjectIndonesian;

    public string Render(string language, IReadOnlyList<string> parameters) => Fill(Body(language), parameters);

    public string RenderSubject(string language, IReadOnlyList<string> parameters) => Fill(Subject(language), parameters);

    private static string Fill(string text, IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (var i = parameters.Count; i >= 1; i--)
        {
            text = text.Replace($"{{{{{i}}}}}", parameters[i - 1], StringComparison.Ordinal);
        }

        return text;
    }
}
