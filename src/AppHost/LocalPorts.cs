using Marketplace.LocalInfrastructure;

namespace Marketplace.AppHost;

/// <summary>
/// Where each part of the local run listens. The Gateway, the address a person opens, is on the port asked for; every
/// other part is at a fixed distance from it, so a run finds the same addresses each time, unless another program
/// holds that port when the run starts: then the part takes a free port and the run says so. A run once ended
/// because its dashboard's port was taken by something else; nothing outside the Gateway's port is worth that.
/// </summary>
internal sealed class LocalPorts
{
    /// <summary>Each part's distance from the Gateway's port. The dashboard's is its usual 18888 beside the default 8080.</summary>
    private static readonly (string Part, int Offset)[] Offsets =
    [
        ("catalog", 1), ("orders", 2), ("web", 3), ("stripe", 4), ("notifications", 5), ("whatsapp", 6),
        ("dashboard", 10808), ("dashboard-otlp", 10810),
        ("smtp", 16945), ("smtp-inbox", 17000), ("postgres", 17352), ("rabbitmq", 17592), ("rabbitmq-management", 17593),
    ];

    private readonly Dictionary<string, int> _ports;

    private LocalPorts(int gatewayPort, Dictionary<string, int> ports)
    {
        _gatewayPort = gatewayPort;
        _ports = ports;
    }

    private readonly int _gatewayPort;

    public int this[string part] => _ports.TryGetValue(part, out var port)
        ? port
        : throw new ArgumentOutOfRangeException(nameof(part), part, "No such part of the local run.");

    /// <summary>The part's usual port, whether or not it got it (what names RabbitMQ's node, and so its data).</summary>
    public int Usual(string part) => _gatewayPort + Offsets.Single(o => o.Part == part).Offset;

    /// <summary>
    /// Chooses every port, and keeps them from the free ports handed to servers started before the parts that need
    /// them (RabbitMQ's port mapper starts long before the dashboard).
    /// </summary>
    /// <exception cref="InvalidOperationException">The Gateway's port is taken: the person chooses another.</exception>
    public static LocalPorts Plan(int gatewayPort, Action<string> tell)
    {
        if (!FreePorts.IsFree(gatewayPort))
        {
            throw new InvalidOperationException(
                $"port {gatewayPort} is in use by another program (an earlier run still going?). Stop it, or choose another port: ./run.sh --port {gatewayPort + 100}");
        }

        var planned = new Dictionary<string, int> { ["gateway"] = gatewayPort };
        FreePorts.Reserve(Offsets.Select(o => gatewayPort + o.Offset).Append(gatewayPort));
        foreach (var (part, offset) in Offsets)
        {
            var usual = gatewayPort + offset;
            if (FreePorts.IsFree(usual))
            {
                planned[part] = usual;
                continue;
            }

            planned[part] = FreePorts.Next();
            tell($"  port {usual} ({part}) is in use by another program: {part} listens on {planned[part]} instead");
        }

        return new LocalPorts(gatewayPort, planned);
    }
}
