using System.Runtime.InteropServices;
using Marketplace.AppHost;

// Runs the whole marketplace on this machine: PostgreSQL, RabbitMQ and an SMTP server as local processes with their
// data under .local/, then every service. Ctrl-C stops everything it started.
using var stopping = new CancellationTokenSource();

// Ctrl-C and a plain kill both end up in the orderly stop below, which also stops PostgreSQL and RabbitMQ.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var options = LocalRunOptions.Parse(args);
var exitCode = 0;
await using (var marketplace = new LocalMarketplace(options))
{
    try
    {
        await marketplace.StartAsync(stopping.Token);
        Console.WriteLine($"""

            The marketplace is up: open {marketplace.GatewayUrl}
              Storefront (Bahasa Indonesia, English from the header): {marketplace.GatewayUrl}
              Sign in as the platform admin at {marketplace.GatewayUrl}/masuk
                admin@marketplace.local / admin-lokal-2026 (Development only)
              Card payments go to the Stripe emulator's page: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined
              Messages the marketplace sends (order news, password resets, invitations):
                WhatsApp, each number's chat (emulator): {marketplace.WhatsAppUrl}
                email, the inbox (smtp4dev, SMTP on {marketplace.SmtpAddress}): {marketplace.SmtpInboxUrl}
              RabbitMQ management (guest/guest): {marketplace.RabbitMqManagementUrl}
              {(marketplace.DashboardUrl is { } dashboard ? $"Traces, logs and metrics of every service (Aspire dashboard, no sign-in, this machine only): {dashboard}" : "No telemetry dashboard on this platform")}
              Service logs: .local/logs (a service, PostgreSQL, RabbitMQ or smtp4dev that stops by itself is started again, after 1 s, then 2, 4... up to 30 s)
            Press Ctrl-C to stop everything.
            """);
        // Until stopping is asked for: a service that exits meanwhile is started again (LocalMarketplace.SuperviseAsync).
        await Task.Delay(Timeout.Infinite, stopping.Token);
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
    {
        Console.Error.WriteLine($"The marketplace could not start: {ex.Message}");
        exitCode = 1;
    }

    Console.WriteLine("Stopping...");
}

Console.WriteLine("Stopped.");
return exitCode;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
