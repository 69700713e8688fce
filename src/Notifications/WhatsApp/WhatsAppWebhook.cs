using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Notifications.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.WhatsApp;

/// <summary>
/// WhatsApp's webhook: the subscription handshake (<c>GET</c> with <c>hub.challenge</c>) and delivery statuses
/// (<c>POST</c>, signed with <c>X-Hub-Signature-256</c>: an HMAC-SHA256 of the raw body with the app's secret).
/// Anything unsigned or signed otherwise is a 400 and changes nothing.
/// </summary>
public static class WhatsAppWebhook
{
    public const string Path = "/api/notifications/whatsapp/webhook";

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Verify).WithTags("WhatsApp").WithName("WhatsAppWebhookVerification")
            .WithSummary("Meta's subscription handshake: answers hub.challenge when hub.verify_token is ours.");
        app.MapPost(Path, ReceiveAsync).WithTags("WhatsApp").WithName("WhatsAppWebhook")
            .WithSummary("Delivery statuses of sent messages (sent, delivered, read, failed), verified by signature.")
            .DisableAntiforgery();
        return app;
    }

    private static IResult Verify(HttpRequest request, IOptions<WhatsAppOptions> options)
    {
        var query = request.Query;
        var token = options.Value.VerifyToken;
        return query["hub.mode"] == "subscribe" && !string.IsNullOrEmpty(token)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(query["hub.verify_token"].ToString()), Encoding.UTF8.GetBytes(token))
            ? Results.Text(query["hub.challenge"].ToString())
            : Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, NotificationsDbContext db, IOptions<WhatsAppOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!Signed(body, request.Headers["X-Hub-Signature-256"].ToString(), options.Value.AppSecret) || Statuses(body) is not { } statuses)
        {
            return Results.Problem("The event's signature or payload is not valid.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid WhatsApp event");
        }

        foreach (var (messageId, status, error) in statuses)
        {
            // The status of a message just accepted can come before its sender saved WhatsApp's id: look again briefly.
            for (var attempt = 0; attempt < 10; attempt++)
            {
                db.ChangeTracker.Clear();
                if (await db.Notifications.FirstOrDefaultAsync(n => n.ProviderMessageId == messageId, cancellationToken) is { } notification)
                {
                    if (notification.Reported(status, error, clock.GetUtcNow()))
                    {
                        await db.SaveChangesAsync(cancellationToken);
                    }

                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }

        return Results.Ok();
    }

    private static bool Signed(byte[] body, string header, string secret)
    {
        const string prefix = "sha256=";
        if (string.IsNullOrEmpty(secret) || !header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] claimed;
        try
        {
            claimed = Convert.FromHexString(header[prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body), claimed);
    }

    /// <summary>The statuses in Meta's payload (<c>entry[].changes[].value.statuses[]</c>); null if it is not such a payload.</summary>
    private static List<(string MessageId, NotificationStatus Status, string? Error)>? Statuses(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var found = new List<(string, NotificationStatus, string?)>();
            foreach (var entry in json.RootElement.GetProperty("entry").EnumerateArray())
            {
                foreach (var change in entry.GetProperty("changes").EnumerateArray())
                {
                    if (!change.GetProperty("value").TryGetProperty("statuses", out var statuses))
                    {
                        continue;
                    }

                    foreach (var status in statuses.EnumerateArray())
                    {
                        NotificationStatus? known = status.GetProperty("status").GetString() switch
                        {
                            "sent" => NotificationStatus.Sent,
                            "delivered" => NotificationStatus.Delivered,
                            "read" => NotificationStatus.Read,
                            "failed" => NotificationStatus.Failed,
                            _ => null,
                        };
                        var error = status.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
                            ? $"WhatsApp code {(errors[0].TryGetProperty("code", out var code) ? code.ToString() : "?")}: {(errors[0].TryGetProperty("title", out var title) ? title.GetString() : null)}"
                            : null;
                        if (known is { } value && status.GetProperty("id").GetString() is { } id)
                        {
                            found.Add((id, value, error));
                        }
                    }
                }
            }

            return found;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
