using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Marketplace.Gateway.DeadLetters;

public sealed class DeadLetterOptions
{
    public const string SectionName = "DeadLetters";

    /// <summary>RabbitMQ's management API (<c>http://host:15672</c>); without it the intake stays off.</summary>
    public Uri? ManagementUrl { get; set; }

    /// <summary>How often the intake looks for <c>_error</c> queues with messages: one management API call when none has any.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages moved from one queue in one pass, so a flood of faults is taken in steps.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// The Gateway's own AMQP connection and management API client for dead letters: MassTransit's bus does not lend its
/// channels for basic.get, and only the management API lists queues. The connection is opened when first needed
/// (an <c>_error</c> queue with messages, or a replay), so an idle marketplace keeps none.
/// </summary>
public sealed class DeadLetterBroker(IConfiguration configuration, IOptions<DeadLetterOptions> options, IHttpClientFactory httpClients, IHostEnvironment environment)
    : IAsyncDisposable
{
    public const string ManagementClient = "rabbitmq-management";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly RabbitMqAddress _address = RabbitMqAddress.Parse(
        configuration.GetConnectionString(MessagingExtensions.RabbitMqConnectionName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{MessagingExtensions.RabbitMqConnectionName} is not configured."));

    private IConnection? _connection;

    public bool CanList => options.Value.ManagementUrl is not null;

    /// <summary>The names of the virtual host's <c>_error</c> queues that hold messages now (the API's figures lag a few seconds).</summary>
    public async Task<IReadOnlyList<string>> ErrorQueuesWithMessagesAsync(CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.ManagementUrl ?? throw new InvalidOperationException("DeadLetters:ManagementUrl is not configured.");
        var http = httpClients.CreateClient(ManagementClient);
        var path = $"api/queues/{Uri.EscapeDataString(_address.VirtualHost)}?columns=name,messages";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUrl.ToString().TrimEnd('/') + "/"), path));
        var user = string.IsNullOrEmpty(baseUrl.UserInfo) ? $"{_address.Username}:{_address.Password}" : Uri.UnescapeDataString(baseUrl.UserInfo);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var names = new List<string>();
        foreach (var queue in json.RootElement.EnumerateArray())
        {
            var name = queue.TryGetProperty("name", out var n) ? n.GetString() : null;
            var messages = queue.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0;
            if (name is not null && name.EndsWith("_error", StringComparison.Ordinal) && messages > 0)
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>A channel on the shared connection; with confirms for replays, so a replay is marked only once the broker has it.</summary>
    public async Task<IChannel> OpenChannelAsync(bool confirms, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: confirms, publisherConfirmationTrackingEnabled: confirms),
            cancellationToken);
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } opened)
            {
                return opened;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            var factory = new ConnectionFactory
            {
                HostName = _address.Host,
                Port = _address.Port,
                VirtualHost = _address.VirtualHost,
                UserName = _address.Username,
                Password = _address.Password,
                ClientProvidedName = RabbitMqAddress.ConnectionName(environment.ApplicationName) + "/dead-letters",
                RequestedHeartbeat = TimeSpan.FromSeconds(10),
            };
            _connection = await factory.CreateConnectionAsync(cancellationToken);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}
