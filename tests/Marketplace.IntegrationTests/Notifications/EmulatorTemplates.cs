using Marketplace.Notifications.Templates;

namespace Marketplace.IntegrationTests;

/// <summary>The WhatsApp emulator is told every template Notifications sends, in both languages, as Meta would have approved them.</summary>
public static class EmulatorTemplates
{
    public static void AddTo(Dictionary<string, string?> emulatorSettings)
    {
        ArgumentNullException.ThrowIfNull(emulatorSettings);
        var templates = MessageTemplates.All.SelectMany(t => new[] { (Template: t, Language: "id"), (Template: t, Language: "en") }).ToList();
        for (var i = 0; i < templates.Count; i++)
        {
            emulatorSettings[$"WhatsAppEmulator:Templates:{i}:Name"] = templates[i].Template.Name;
            emulatorSettings[$"WhatsAppEmulator:Templates:{i}:Language"] = templates[i].Language;
            emulatorSettings[$"WhatsAppEmulator:Templates:{i}:Body"] = templates[i].Template.Body(templates[i].Language);
        }
    }
}
