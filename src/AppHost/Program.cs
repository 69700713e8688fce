using System.Runtime.InteropServices;
using Marketplace.AppHost;

// Runs the whole marketplace on this machine: PostgreSQL and RabbitMQ as local processes with their data
// under .local/, then every service. Ctrl-C stops everything it started.
using var stopping = new CancellationTokenSource();

// Ctrl-C and a plain kill both end up in the orderly stop below, which also stops PostgreSQL and RabbitMQ.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var options = LocalRunOptions.Parse(args);
await using var marketplace = new LocalMarketplace(options);
try
{
    await marketplace.StartAsync(stopping.Token);
    Console.WriteLine();
    Console.WriteLine($"The marketplace is up: open {marketplace.GatewayUrl}");
    Console.WriteLine($"RabbitMQ management (guest/guest, _error queues included): {marketplace.RabbitMqManagementUrl}");
    Console.WriteLine("Platform admin: admin@marketplace.local / admin-lokal-2026 (Development only). Account messages: .local/messages");
    Console.WriteLine("Press Ctrl-C to stop everything.");
    await marketplace.WaitAsync(stopping.Token);
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
}

Console.WriteLine("Stopping...");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
