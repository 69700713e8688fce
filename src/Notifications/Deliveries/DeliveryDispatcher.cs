using Marketplace.Notifications.Digests;
using Marketplace.Notifications.Email;
using Marketplace.Notifications.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Notifications.Deliveries;

/// <summary>
/// Sends due messages. A short transaction claims a batch (<c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work)
/// and leases it; each message is then sent with no transaction open and its outcome saved on its own. A replica
/// that dies mid-send leaves its lease to run out, and the message is tried again. Woken at once when messages are
/// committed (<see cref="DueNotifications"/>); otherwise it looks every poll interval, for retries that fell due. At
/// each look it first turns the digests that fell due into their messages (<see cref="DigestSender"/>).
/// </summary>
public sealed partial class DeliveryDispatcher(
    IServiceScopeFactory scopes, DeliverySignal signal, TimeProvider clock, IOptions<NotificationsOptions> options, ILogger<DeliveryDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 20;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Digests that fell due become messages first, so this same wake-up sends them; a failure there must not hold
            // back the messages already made.
            try
            {
                while (await DigestSender.SendDueAsync(scopes, stoppingToken) == DigestSender.BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDigestsFailed(logger, ex);
            }

            try
            {
                while (await DispatchBatchAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>Claims and sends one batch of due messages; returns how many it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var whatsApp = scope.ServiceProvider.GetRequiredService<WhatsAppCloudClient>();
        var email = scope.ServiceProvider.GetRequiredService<SmtpEmailSender>();
        var now = clock.GetUtcNow();

        List<Notification> claimed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            claimed = await db.Notifications
                .FromSql($"SELECT * FROM notifications.notifications WHERE status = 'Pending' AND next_attempt_at <= {now} ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            claimed.ForEach(n => n.Claimed(now + Lease));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var notification in claimed)
        {
            var result = notification.Channel == DeliveryChannel.WhatsApp
                ? FromWhatsApp(await whatsApp.SendTemplateAsync(notification.Address, notification.Template, notification.Language, notification.Parameters, cancellationToken))
                : await email.SendAsync(notification, cancellationToken);
            var at = clock.GetUtcNow();
            if (result.Accepted)
            {
                notification.Accepted(result.ProviderMessageId!, at);
            }
            else
            {
                notification.AttemptFailed(result.Error!, result.Final, options.Value.Backoff, at);
            }

            await db.SaveChangesAsync(cancellationToken);
            // The template and the outcome only: a message's text and its recipient's number never reach a log.
            LogOutcome(logger, notification.Id, notification.Template, notification.Status, notification.Attempts);
        }

        return claimed.Count;
    }

    private static SendResult FromWhatsApp(WhatsAppSendResult result) => new(result.MessageId, result.Error, result.Final);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} ({Template}) is {Status} after attempt {Attempt}")]
    private static partial void LogOutcome(ILogger logger, Guid notificationId, string template, NotificationStatus status, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Turning due digests into messages failed; looking again at the next wake-up")]
    private static partial void LogDigestsFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending notifications failed; looking again at the next wake-up")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
