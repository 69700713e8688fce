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

    /// <summary>QRIS or GoPay chosen: the session completed unpaid, the payer's bank app is to answer.</summary>
    Pending,

    /// <summary>The payer's bank app refused (or she gave up): the async payment failed.</summary>
    Failed,

    /// <summary>The session does not offer that payment method.</summary>
    NotOffered,

    /// <summary>No QRIS or GoPay payment of this session is waiting (never started, already settled, or lapsed).</summary>
    NothingPending,
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

            if (!session.PaymentMethodTypes.Contains("card"))
            {
                return PaymentOutcome.NotOffered;
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

    /// <summary>
    /// The payer chose QRIS or GoPay: as at Stripe, the session completes unpaid (<c>payment_status=unpaid</c>) and its
    /// PaymentIntent waits for the payer's bank (<c>requires_action</c>); <c>checkout.session.completed</c> is sent.
    /// </summary>
    public static PaymentOutcome Start(StripeState state, WebhookSender webhooks, string sessionId, string? method)
    {
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

            if (method is not ("qris" or "gopay") || !session.PaymentMethodTypes.Contains(method))
            {
                return PaymentOutcome.NotOffered;
            }

            var intent = new PaymentIntent
            {
                Id = StripeState.NewId("pi_test"),
                Amount = session.AmountTotal,
                AmountReceived = 0,
                Currency = session.Currency,
                Status = "requires_action",
                Metadata = session.PaymentIntentMetadata,
                PaymentMethodTypes = [method],
                ApplicationFeeAmount = session.ApplicationFeeAmount,
                Created = state.Now,
                Account = session.Account,
            };
            state.Add(intent);
            session.Status = "complete";
            session.PaymentStatus = "unpaid";
            session.PaymentIntent = intent.Id;
            webhooks.Publish("checkout.session.completed", session, session.Account);
            return PaymentOutcome.Pending;
        }
    }

    /// <summary>
    /// The payer's bank app answers a waiting QRIS or GoPay payment. Paid: a charge and its balance transaction (with the
    /// method's fee), the PaymentIntent succeeded, the session paid, <c>checkout.session.async_payment_succeeded</c>.
    /// Failed: the PaymentIntent back to <c>requires_payment_method</c>, <c>checkout.session.async_payment_failed</c>.
    /// </summary>
    public static PaymentOutcome Settle(StripeState state, WebhookSender webhooks, EmulatorOptions options, string sessionId, bool succeed)
    {
        lock (state.Gate)
        {
            var session = state.SessionAnyAccount(sessionId);
            if (session is null)
            {
                return PaymentOutcome.UnknownSession;
            }

            var intent = session is { Status: "complete", PaymentStatus: "unpaid", PaymentIntent: { } intentId } ? state.PaymentIntentOf(session.Account, intentId) : null;
            if (intent is not { Status: "requires_action" })
            {
                return PaymentOutcome.NothingPending;
            }

            if (!succeed)
            {
                intent.Status = "requires_payment_method";
                webhooks.Publish("payment_intent.payment_failed", intent, session.Account);
                webhooks.Publish("checkout.session.async_payment_failed", session, session.Account);
                return PaymentOutcome.Failed;
            }

            var charge = Balance.Charge(state, options, session, intent.Id, intent.PaymentMethodTypes[0]);
            intent.LatestCharge = charge.Id;
            intent.AmountReceived = intent.Amount;
            intent.Status = "succeeded";
            session.PaymentStatus = "paid";
            webhooks.Publish("payment_intent.succeeded", intent, session.Account);
            webhooks.Publish("checkout.session.async_payment_succeeded", session, session.Account);
            return PaymentOutcome.Paid;
        }
    }

    /// <summary>The method of the session's QRIS or GoPay payment still waiting for the payer's bank, if there is one.</summary>
    public static string? PendingMethod(StripeState state, CheckoutSession session)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(session);
        return session is { Status: "complete", PaymentStatus: "unpaid", PaymentIntent: { } intentId }
            && state.PaymentIntentOf(session.Account, intentId) is { Status: "requires_action" } intent ? intent.PaymentMethodTypes[0] : null;
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
            string? pending;
            lock (state.Gate)
            {
                session = state.SessionAnyAccount(id);
                pending = session is null ? null : CheckoutPayments.PendingMethod(state, session);
            }

            return session is null ? Results.NotFound("No such checkout session.")
                : pending is not null ? QrisPage(session, pending)
                : Page(session, message: null);
        });

        app.MapPost("/checkout/{id}", async (string id, HttpRequest request, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
        {
            var form = await request.ReadFormAsync();
            var method = form["method"].ToString() is { Length: > 0 } chosen ? chosen : "card";
            var outcome = method == "card"
                ? CheckoutPayments.Pay(state, webhooks, options.Value, id, form["card"])
                : CheckoutPayments.Start(state, webhooks, id, method);
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
                PaymentOutcome.Paid when session.SuccessUrl is not null => Results.Redirect(ReturnUrl(session)!),
                PaymentOutcome.Paid => Page(session, "Paid."),
                // The QRIS code (or GoPay request) is shown on the page's next load.
                PaymentOutcome.Pending => Results.Redirect($"/checkout/{session.Id}"),
                PaymentOutcome.NotOffered => Page(session, "This payment method is not offered for this checkout."),
                PaymentOutcome.Declined => Page(session, "Your card was declined."),
                PaymentOutcome.InvalidCard => Page(session, "Your card number is incorrect. Use a test card."),
                _ => Page(session, $"This checkout session is {session.Status}."),
            };
        }).DisableAntiforgery();

        // What the payer's bank or e-wallet app would do with the QRIS code: pay it, or fail.
        app.MapPost("/checkout/{id}/bank", async (string id, HttpRequest request, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
        {
            var form = await request.ReadFormAsync();
            CheckoutPayments.Settle(state, webhooks, options.Value, id, succeed: form["outcome"] == "pay");
            CheckoutSession? session;
            lock (state.Gate)
            {
                session = state.SessionAnyAccount(id);
            }

            return session is null ? Results.NotFound("No such checkout session.")
                : ReturnUrl(session) is { } back ? Results.Redirect(back)
                : Page(session, $"Payment {session.PaymentStatus}.");
        }).DisableAntiforgery();

        app.MapGet("/checkout/{id}/qr.svg", (string id, HttpRequest request) =>
        {
            // The code leads to this page, where the bank app's controls are: scanned on a phone, it works like one.
            using var generator = new QRCoder.QRCodeGenerator();
            using var data = generator.CreateQrCode($"{request.Scheme}://{request.Host}/checkout/{Uri.EscapeDataString(id)}", QRCoder.QRCodeGenerator.ECCLevel.M);
            return Results.Content(new QRCoder.SvgQRCode(data).GetGraphic(6), "image/svg+xml");
        });
        return app;
    }

    private static string? ReturnUrl(CheckoutSession session) =>
        session.SuccessUrl?.Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal);

    /// <summary>The QRIS code (or GoPay request) waiting for the payer, with the controls standing in for her bank app.</summary>
    private static IResult QrisPage(CheckoutSession session, string method)
    {
        var name = method == "gopay" ? "GoPay" : "QRIS";
        var id = WebUtility.HtmlEncode(session.Id);
        var back = ReturnUrl(session) is { } url ? $"""<p><a id="back" href="{WebUtility.HtmlEncode(url)}">Kembali ke toko / Back to the shop</a></p>""" : string.Empty;
        var html = $"""
            <!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{name} (Stripe emulator)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem">
            <p><strong>Stripe emulator</strong>: test mode, no real money.</p>
            <h1>{Amount(session)}</h1>
            <p>Pindai kode {name} ini dengan aplikasi bank atau dompet digital Anda. / Scan this {name} code with your bank or e-wallet app.</p>
            <img src="/checkout/{id}/qr.svg" alt="{name}" width="240" height="240" style="display:block;margin:1rem auto">
            <p>Bank Anda mengonfirmasi pembayaran; toko akan diberi tahu. / Your bank confirms the payment; the shop is told.</p>
            {back}
            <fieldset><legend>Aplikasi bank (uji) / Bank app (test)</legend>
            <form method="post" action="/checkout/{id}/bank" style="display:flex;gap:1rem">
            <button name="outcome" value="pay">Bayar</button> <button name="outcome" value="fail">Gagal</button></form></fieldset>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string Amount(CheckoutSession session) => session.Currency == "idr"
        ? "Rp " + (session.AmountTotal / 100).ToString("N0", CultureInfo.GetCultureInfo("id-ID"))
        : $"{session.AmountTotal / 100m:0.00} {session.Currency.ToUpperInvariant()}";

    private static IResult Page(CheckoutSession session, string? message)
    {
        var amount = Amount(session);
        var lines = string.Join("", session.LineItems.Select(l => $"<li>{WebUtility.HtmlEncode(l.Name)} x {l.Quantity}</li>"));
        // One choice per method the session offers; the card's number field goes with the card.
        var choices = string.Join("", session.PaymentMethodTypes.Select((m, i) =>
        {
            var check = i == 0 ? " checked" : string.Empty;
            return m switch
            {
                "card" => $"""<p><label><input type="radio" name="method" value="card"{check}> Card</label><br><label>Card number <input name="card" value="4242 4242 4242 4242" autocomplete="off"></label></p>""",
                "qris" => $"""<p><label><input type="radio" name="method" value="qris"{check}> QRIS</label></p>""",
                _ => $"""<p><label><input type="radio" name="method" value="gopay"{check}> GoPay</label></p>""",
            };
        }));
        var form = session.Status == "open"
            ? $"""<form method="post">{choices}<button>Pay</button></form>"""
            : string.Empty;
        var cancel = session.CancelUrl is null || session.Status != "open" ? string.Empty : $"""<p><a href="{WebUtility.HtmlEncode(session.CancelUrl)}">Back</a></p>""";
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Checkout (Stripe emulator)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem">
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
    /// <summary>A card number for a card payment, or <c>method</c> <c>qris</c>/<c>gopay</c> to start an asynchronous one.</summary>
    public sealed record PayRequest(string? Card, string? Method = null);

    /// <summary>What the payer's bank app answers a waiting QRIS or GoPay payment.</summary>
    public sealed record BankAnswer(bool Succeed);

    public sealed record WebhookEndpoint(string Url);

    public static WebApplication MapEmulatorControl(this WebApplication app)
    {
        var control = app.MapGroup("/_emulator");
        control.MapAccountControl();
        control.MapPost("/checkout/{id}/pay", (string id, PayRequest request, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
            Results.Ok(new
            {
                outcome = (request.Method is null or "card"
                    ? CheckoutPayments.Pay(state, webhooks, options.Value, id, request.Card)
                    : CheckoutPayments.Start(state, webhooks, id, request.Method)).ToString(),
            }));
        // The bank app's answer to a waiting QRIS or GoPay payment, without a browser.
        control.MapPost("/checkout/{id}/async-payment", (string id, BankAnswer answer, StripeState state, WebhookSender webhooks, Microsoft.Extensions.Options.IOptions<EmulatorOptions> options) =>
            Results.Ok(new { outcome = CheckoutPayments.Settle(state, webhooks, options.Value, id, answer.Succeed).ToString() }));
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
