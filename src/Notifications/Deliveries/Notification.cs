namespace Marketplace.Notifications.Deliveries;

/// <summary>
/// One message to one person, made from one event with one template. Unique per (source message, recipient,
/// template): an event delivered again, or handled by two replicas, makes no second one. Sending is attempted until
/// the provider takes it; a definite refusal or the last attempt's failure leaves it failed, for an admin to see.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The id of the message (event) this was made from.</summary>
    public Guid SourceMessageId { get; private set; }

    /// <summary>Who it is for, as Notifications knows her: <c>order:{id}</c> for an order's shopper, <c>member:{id}</c>, ...</summary>
    public string Recipient { get; private set; } = string.Empty;

    public Guid? CooperativeId { get; private set; }

    public string Template { get; private set; } = string.Empty;

    /// <summary><c>id</c> or <c>en</c>.</summary>
    public string Language { get; private set; } = "id";

    public DeliveryChannel Channel { get; private set; }

    /// <summary>The phone number (E.164) or email address; never written to a log.</summary>
    public string Address { get; private set; } = string.Empty;

    public List<string> Parameters { get; private set; } = [];

    public NotificationStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>The provider's id for it (WhatsApp's <c>wamid...</c>): its status reports name it.</summary>
    public string? ProviderMessageId { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Notification Create(
        Guid sourceMessageId, string recipient, Guid? cooperativeId, string template, string language, DeliveryChannel channel, string address,
        IReadOnlyList<string> parameters, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(),
            SourceMessageId = sourceMessageId,
            Recipient = recipient,
            CooperativeId = cooperativeId,
            Template = template,
            Language = language,
            Channel = channel,
            Address = address,
            Parameters = [.. parameters],
            Status = NotificationStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };

    /// <summary>Taken by a dispatcher for an attempt; until <paramref name="leaseEnds"/> no other takes it.</summary>
    public void Claimed(DateTimeOffset leaseEnds)
    {
        Attempts++;
        NextAttemptAt = leaseEnds;
    }

    /// <summary>
    /// The provider took it under <paramref name="providerMessageId"/>. A secret message's parameters (a password reset
    /// link, an invitation code: each hands over an account or a membership to whoever holds it) are erased now: from here
    /// on the message is the provider's to deliver and nothing here needs them again, while a copy kept in this table
    /// would be readable in every backup and to anyone who can query it for as long as the link or code is valid. The
    /// template, address and status stay, for the delivery log.
    /// </summary>
    public void Accepted(string providerMessageId, DateTimeOffset now)
    {
        ProviderMessageId = providerMessageId;
        Status = NotificationStatus.Accepted;
        LastError = null;
        UpdatedAt = now;
        if (Templates.MessageTemplates.Named(Template).Secret)
        {
            Parameters = [];
        }
    }

    /// <summary>
    /// Its parameters were erased once sent (a secret message): it cannot be sent again; she asks for a new one. A row of
    /// a template since retired (the log lists every row) was never erased.
    /// </summary>
    public bool Erased => Parameters.Count == 0 && Templates.MessageTemplates.All.FirstOrDefault(t => t.Name == Template) is { ParameterCount: > 0 };

    /// <summary>
    /// An attempt failed: tried again after the next of <paramref name="backoff"/>'s delays, unless the failure is final or
    /// the delays are spent.
    /// </summary>
    public void AttemptFailed(string error, bool final, IReadOnlyList<TimeSpan> backoff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(backoff);
        LastError = error.Length > 300 ? error[..300] : error;
        UpdatedAt = now;
        if (final || Attempts > backoff.Count)
        {
            Status = NotificationStatus.Failed;
            return;
        }

        Status = NotificationStatus.Pending;
        NextAttemptAt = now + backoff[Math.Max(0, Attempts - 1)];
    }

    /// <summary>
    /// What the provider reported later. Reports may arrive out of order or twice: only a step forward counts, and a
    /// failure counts only before delivery.
    /// </summary>
    public bool Reported(NotificationStatus status, string? error, DateTimeOffset now)
    {
        var forward = status == NotificationStatus.Failed
            ? Status is NotificationStatus.Accepted or NotificationStatus.Sent
            : Status is NotificationStatus.Accepted or NotificationStatus.Sent or NotificationStatus.Delivered && status > Status;
        if (!forward)
        {
            return false;
        }

        Status = status;
        LastError = error ?? LastError;
        UpdatedAt = now;
        return true;
    }

    /// <summary>An admin sends a failed message again: it gets a fresh round of attempts.</summary>
    public void Resend(DateTimeOffset now)
    {
        if (Status != NotificationStatus.Failed)
        {
            throw new ServiceDefaults.Errors.ConflictException("Only a failed message is sent again.", "illegal_transition");
        }

        if (Erased)
        {
            throw new ServiceDefaults.Errors.ConflictException(
                "This message held a reset link or an invitation code, erased once it was sent: ask for a new one instead.", "message_erased");
        }

        Status = NotificationStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        UpdatedAt = now;
    }
}
