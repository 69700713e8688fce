namespace Marketplace.WhatsAppEmulator;

/// <summary>A local stand-in for the WhatsApp Business Cloud API, its status webhooks and a phone's chat (see docs/whatsapp-emulator.md).</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddWhatsAppEmulator();

        var app = builder.Build();
        app.MapWhatsAppEmulator();
        await app.RunAsync();
    }
}
