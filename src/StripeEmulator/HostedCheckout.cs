using System.Globalization;
using System.Net;

namespace Marketplace.StripeEmulator;

public enum PaymentOutcome
{
    Paid,
    Declined,
    InvalidCard,
    NotOpen,
    UnknownSession,
}

/// <summary>Stripe's test cards: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 (and ..9995) is declined.</summary>
public static class CheckoutPayments
{
    public static PaymentOutcome Pay(StripeState state, WebhookSender webhooks, EmulatorOptions options, string sessionId, string? cardNumber)
    {
        var digits = new string((cardNumber ?? string.Empty).Where(char.IsDigit).ToArray());
        lock (state.Gate)
        {
            var session = state.SessionAnyAccount(sessionId);
            if (session is null)
            {
                return PaymentOutcome.UnknownSession;
            }

            if (session.Status != "open")
            {
                return PaymentOutcome.NotOpen;
            }

            switch (digits)
            {
                case "4000000000000002" or "4000000000009995":
                    return PaymentOutcome.Declined;
                case not "4242424242424242":
                    return PaymentOutcome.InvalidCard;
            }

            var intentId = StripeState.NewId("pi_test");
            var charge = Balance.Charge(state, options, session, intentId);
            var intent = new PaymentIntent
            {
                Id = intentId,
                Amount = session.AmountTotal,
                AmountReceived = session.AmountTotal,
                Currency = session.Currency,
                Metadata = session.PaymentIntentMetadata,
                LatestCharge = charge.Id,
                ApplicationFeeAmount = session.ApplicationFeeAmount,
                Created = state.Now,
                Account = session.Account,
            };
            state.Add(intent);
            session.Status = "complete";
            session.PaymentStatus = "paid";
            session.PaymentIntent = intent.Id;
            webhooks.Publish("payment_intent.succeeded", intent, session.Account);
            webhooks.Publish("checkout.session.completed", session, session.Account);
            return PaymentOutcome.Paid;
        }
    }
}

/// <summary>The page Checkout's <c>url</c> leads to: the amount, a card field, and the test cards to try.</summary>
public static class HostedCheckout
{
    public static WebApplication MapHostedCheckout(this WebApplication app)
    {
        app.MapGet("/checkout/{id}", (string id, StripeState state) =>
        {
            CheckoutSession? session;
            lock (state.Gate)
            {
                session = state.SessionAnyAccount(id);
            }

            return session is null ? Results.NotFound("No such checkout session.") : Page(session, message: null);
        });

        app.MapPost("/checkout/{id}", async (string id, HttpRequest request, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
        {
            var form = await request.ReadFormAsync();
            var outcome = CheckoutPayments.Pay(state, webhooks, options.Value, id, form["card"]);
            CheckoutSession? session;
            lock (state.Gate)
            {
                session = state.SessionAnyAccount(id);
            }

            if (session is null)
            {
                return Results.NotFound("No such checkout session.");
            }

            return outcome switch
            {
                PaymentOutcome.Paid when session.SuccessUrl is not null => Results.Redirect(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal)),
                PaymentOutcome.Paid => Page(session, "Paid."),
                PaymentOutcome.Declined => Page(session, "Your card was declined."),
                PaymentOutcome.InvalidCard => Page(session, "Your card number is incorrect. Use a test card."),
                _ => Page(session, $"This checkout session is {session.Status}."),
            };
        }).DisableAntiforgery();
        return app;
    }

    private static IResult Page(CheckoutSession session, string? message)
    {
        var amount = session.Currency == "idr"
            ? "Rp " + (session.AmountTotal / 100).ToString("N0", CultureInfo.GetCultureInfo("id-ID"))
            : $"{session.AmountTotal / 100m:0.00} {session.Currency.ToUpperInvariant()}";
        var lines = string.Join("", session.LineItems.Select(l => $"<li>{WebUtility.HtmlEncode(l.Name)} x {l.Quantity}</li>"));
        var form = session.Status == "open"
            ? """<form method="post"><label>Card number <input name="card" value="4242 4242 4242 4242" autocomplete="off"></label> <button>Pay</button></form>"""
            : string.Empty;
        var cancel = session.CancelUrl is null || session.Status != "open" ? string.Empty : $"""<p><a href="{WebUtility.HtmlEncode(session.CancelUrl)}">Back</a></p>""";
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Checkout (Stripe emulator)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">
            <p><strong>Stripe emulator</strong>: test mode, no real money.</p>
            <h1>{amount}</h1><ul>{lines}</ul>
            <p>{WebUtility.HtmlEncode(message ?? string.Empty)}</p>{form}{cancel}
            <p><small>4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined.</small></p></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}

/// <summary>What tests and developers use to drive the emulator without a browser.</summary>
public static class EmulatorControl
{
    public sealed record PayRequest(string Card);

    public sealed record WebhookEndpoint(string Url);

    public static WebApplication MapEmulatorControl(this WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapAccountControl();
        control.MapPost("/checkout/{id}/pay", (string id, PayRequest request, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
            Results.Ok(new { outcome = CheckoutPayments.Pay(state, webhooks, options.Value, id, request.Card).ToString() }));
        // Where events go, when it is only known after start-up (the receiver's port is chosen at run time).
        control.MapPost("/webhooks", (WebhookEndpoint endpoint, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
        {
            options.Value.WebhookUrl = endpoint.Url;
            return Results.NoContent();
        });
        control.MapGet("/events", (WebhookSender webhooks) =>
            Results.Ok(webhooks.Events.Select(e => new { e.Id, e.Type, e.Account, e.Attempts, e.Status })));
        control.MapPost("/events/{id}/resend", (string id, WebhookSender webhooks) =>
            webhooks.Resend(id) ? Results.Accepted() : Results.NotFound());
        return app;
    }
}
