using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.WhatsAppEmulator;

/// <summary>What tests and developers use to set the emulator up, make it misbehave and read back what it was sent.</summary>
public static class EmulatorControl
{
    public sealed record FailNextRequest(int Count, FailureMode Mode = FailureMode.Http, int? Code = null);

    public sealed record DelaysRequest(TimeSpan? Send, TimeSpan? Webhooks);

    public sealed record WebhookEndpoint(string Url);

    public sealed record InboundRequest(string Text, string? Name = null);

    public sealed record ControlError(string Error);

    public static WebApplication MapEmulatorControl(this WebApplication app)
    {
        var control = app.MapGroup("/_emulator").DisableAntiforgery();

        control.MapGet("/templates", (TemplateRegistry templates) => TypedResults.Ok(templates.All))
            .WithSummary("Lists the registered templates.");
        control.MapPost("/templates", RegisterTemplate)
            .WithSummary("Registers (or replaces) an approved template: name, language, body with {{1}}.. placeholders, category.");

        control.MapGet("/messages", (string? to, EmulatorState state) => TypedResults.Ok(state.Messages(to)))
            .WithSummary("Messages, oldest first, with parameters, rendered text and status history; ?to= one number's.");
        control.MapDelete("/messages", (EmulatorState state) =>
        {
            state.Reset();
            return TypedResults.NoContent();
        }).WithSummary("Forgets messages, conversations, pending failures and delays.");
        control.MapPost("/messages/{id}/read", MarkRead)
            .WithSummary("The recipient reads the message: a read status follows.");

        control.MapPost("/numbers/{number}/inbound", Inbound)
            .WithSummary("The number writes to the business: opens its 24-hour window and posts the incoming message webhook.");

        control.MapPost("/fail-next", FailNext)
            .WithSummary("The next N valid sends fail: mode http answers 500 (#131000); mode status accepts and reports failed with code (131026 by default).");
        control.MapPost("/delays", (DelaysRequest request, EmulatorState state) =>
        {
            state.SetDelays(request.Send, request.Webhooks);
            return TypedResults.NoContent();
        }).WithSummary("Holds each send's answer, and each webhook, this long.");

        // The receiver's address, when it is known only after start-up (its port is chosen at run time).
        control.MapPost("/webhooks", (WebhookEndpoint endpoint, IOptions<WhatsAppEmulatorOptions> options) =>
        {
            options.Value.WebhookUrl = endpoint.Url;
            return TypedResults.NoContent();
        }).WithSummary("Sets where webhooks are posted.");
        return app;
    }

    private static Results<Created<TemplateDefinition>, BadRequest<ControlError>> RegisterTemplate(TemplateDefinition template, TemplateRegistry templates)
    {
        var problem = templates.Register(template);
        return problem is null
            ? TypedResults.Created((string?)null, templates.Find(template.Name, template.Language)!)
            : TypedResults.BadRequest(new ControlError(problem));
    }

    private static Results<Accepted, NotFound> MarkRead(string id, EmulatorState state, WebhookSender webhooks)
    {
        if (state.Find(id) is not { Direction: Direction.Outbound })
        {
            return TypedResults.NotFound();
        }

        webhooks.MarkRead(id);
        return TypedResults.Accepted((string?)null);
    }

    private static Results<Created<MessageView>, BadRequest<ControlError>> Inbound(string number, InboundRequest request, EmulatorState state, WebhookSender webhooks)
    {
        if (!PhoneNumbers.IsPlausible(number) || string.IsNullOrWhiteSpace(request.Text))
        {
            return TypedResults.BadRequest(new ControlError("An international number (digits, country code first) and a text are needed."));
        }

        var message = Receive(number, request.Text, request.Name, state, webhooks);
        return TypedResults.Created((string?)null, message);
    }

    /// <summary>Records a message the person wrote and posts it to the business.</summary>
    public static MessageView Receive(string number, string text, string? name, EmulatorState state, WebhookSender webhooks)
    {
        var message = new ChatMessage
        {
            Id = EmulatorState.NewMessageId(number),
            Number = number,
            Direction = Direction.Inbound,
            Type = "text",
            Text = text,
            Timestamp = state.Now,
            ProfileName = name,
        };
        state.Add(message);
        webhooks.Received(message.Id);
        return state.Messages(number).Last(m => m.Id == message.Id);
    }

    private static Results<NoContent, BadRequest<ControlError>> FailNext(FailNextRequest request, EmulatorState state)
    {
        if (request.Count < 0)
        {
            return TypedResults.BadRequest(new ControlError("count must be zero or more."));
        }

        state.FailNext(request.Count, request.Mode, request.Code ?? DeliveryErrors.Undeliverable);
        return TypedResults.NoContent();
    }
}
