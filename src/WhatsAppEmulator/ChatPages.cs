using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.WhatsAppEmulator;

/// <summary>
/// Each number's messages as its phone would show them, in plain server-rendered HTML: the list of chats at <c>/</c>,
/// one chat at <c>/numbers/{number}</c>, where one can also reply as that person or read the messages.
/// </summary>
public static partial class ChatPages
{
    private const string Style = """
        body{margin:0;font-family:system-ui,sans-serif;background:#efeae2;color:#111b21}
        header{background:#008069;color:#fff;padding:.8rem 1rem}header a{color:#fff}
        h1{font-size:1.15rem;margin:0}main{max-width:40rem;margin:0 auto;padding:.8rem}
        .chats{list-style:none;margin:0;padding:0;background:#fff;border-radius:.5rem}
        .chats li{border-bottom:1px solid #e9edef}.chats>li>a{display:block;padding:.8rem;color:inherit;text-decoration:none}
        .chats small,.meta{color:#667781}.preview{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .msg{max-width:85%;margin:.4rem 0;padding:.5rem .6rem;border-radius:.5rem;background:#fff;overflow-wrap:anywhere;box-shadow:0 1px .5px #0002}
        .out{margin-left:auto;background:#d9fdd3}.meta{font-size:.75rem;text-align:right;margin-top:.25rem}
        .tpl{font-size:.75rem;color:#667781;margin-bottom:.2rem}.read{color:#53bdeb}.failed{color:#b3261e}
        form{margin-top:1rem;display:flex;gap:.5rem;flex-wrap:wrap}textarea{flex:1 1 14rem;font:inherit;padding:.5rem;min-height:3rem}
        button{font:inherit;padding:.5rem 1rem;border:0;border-radius:1.5rem;background:#008069;color:#fff}
        h2{font-size:1rem;margin:1.2rem 0 .4rem}.tplrow{padding:.8rem;font-size:.9rem;overflow-wrap:anywhere}
        """;

    public static WebApplication MapChatPages(this WebApplication app)
    {
        app.MapGet("/", Chats).WithSummary("Every number that has messages, the latest conversation first.");
        app.MapGet("/numbers/{number}", Chat).WithSummary("One number's chat.");
        app.MapPost("/numbers/{number}/reply", async Task<Results<RedirectHttpResult, NotFound>> (string number, HttpRequest request, EmulatorState state, WebhookSender webhooks) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var text = form["text"].ToString();
            if (!PhoneNumbers.IsPlausible(number))
            {
                return TypedResults.NotFound();
            }

            if (!string.IsNullOrWhiteSpace(text))
            {
                EmulatorControl.Receive(number, text.Trim(), null, state, webhooks);
            }

            return TypedResults.Redirect($"/numbers/{number}");
        }).DisableAntiforgery();
        app.MapPost("/numbers/{number}/read", Results<RedirectHttpResult, NotFound> (string number, EmulatorState state, WebhookSender webhooks) =>
        {
            if (!PhoneNumbers.IsPlausible(number))
            {
                return TypedResults.NotFound();
            }

            foreach (var message in state.Messages(number).Where(m => m.Direction == Direction.Outbound && m.Status is "sent" or "delivered"))
            {
                webhooks.MarkRead(message.Id);
            }

            return TypedResults.Redirect($"/numbers/{number}");
        }).DisableAntiforgery();
        return app;
    }

    private static ContentHttpResult Chats(EmulatorState state, TemplateRegistry templates, IOptions<WhatsAppEmulatorOptions> options)
    {
        var html = new StringBuilder();
        var numbers = state.Numbers();
        html.Append("<ul class=\"chats\">");
        foreach (var (number, last, count) in numbers)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<li><a href=\"/numbers/{number}\"><strong>+{number}</strong> <small>{Time(last.Timestamp)} · {count} message{(count == 1 ? "" : "s")}</small><span class=\"preview\">{Encode(last.Text)}</span></a></li>");
        }

        html.Append("</ul>");
        if (numbers.Count == 0)
        {
            html.Append("<p>No messages yet. Messages sent to <code>POST /{version}/")
                .Append(Encode(options.Value.PhoneNumberId)).Append("/messages</code> appear here.</p>");
        }

        html.Append("<h2>Templates</h2><ul class=\"chats\">");
        foreach (var template in templates.All)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<li><div class=\"tplrow\"><strong>{Encode(template.Name)}</strong> <small>{Encode(template.Language)} · {Encode(template.Category)} · {TemplateRegistry.ParameterCount(template)} parameters</small><div>{Format(template.Body)}</div></div></li>");
        }

        html.Append("</ul>");
        return Page("WhatsApp emulator", $"WhatsApp emulator · +{Encode(options.Value.DisplayPhoneNumber)}", html.ToString());
    }

    private static Results<ContentHttpResult, NotFound> Chat(string number, EmulatorState state)
    {
        if (!PhoneNumbers.IsPlausible(number))
        {
            return TypedResults.NotFound();
        }

        var messages = state.Messages(number);
        var html = new StringBuilder("<p><a href=\"/\">All chats</a> · <a href=\"\">Refresh</a></p>");
        foreach (var message in messages)
        {
            var outbound = message.Direction == Direction.Outbound;
            html.Append(outbound ? "<div class=\"msg out\">" : "<div class=\"msg\">");
            if (message.TemplateName is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"tpl\">{Encode(message.TemplateName)} ({Encode(message.Language ?? "")})</div>");
            }

            html.Append(Format(message.Text))
                .Append(CultureInfo.InvariantCulture, $"<div class=\"meta\">{Time(message.Timestamp)}{(outbound ? " " + Ticks(message) : "")}</div></div>");
        }

        if (messages.Count == 0)
        {
            html.Append("<p>No messages for this number.</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/numbers/{number}/reply"><textarea name="text" aria-label="Reply as +{number}" placeholder="Reply as +{number}"></textarea><button>Send</button></form>
            <form method="post" action="/numbers/{number}/read"><button>Read all</button></form>
            """);
        return Page($"+{number} · WhatsApp emulator", $"+{Encode(number)}", html.ToString());
    }

    private static string Ticks(MessageView message)
    {
        var failed = message.Statuses.FirstOrDefault(s => s.Status == "failed");
        return message.Status switch
        {
            "failed" => $"<span class=\"failed\">⚠ failed: {failed?.ErrorCode} {Encode(DeliveryErrors.Title(failed?.ErrorCode ?? 0))}</span>",
            "read" => "<span class=\"read\" title=\"read\">✓✓</span>",
            "delivered" => "<span title=\"delivered\">✓✓</span>",
            "sent" => "<span title=\"sent\">✓</span>",
            _ => "<span title=\"accepted\">🕓</span>",
        };
    }

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>As WhatsApp shows text: line breaks kept, <c>*bold*</c> bold, links clickable.</summary>
    private static string Format(string text)
    {
        var encoded = Encode(text);
        encoded = LinkPattern().Replace(encoded, m => $"<a href=\"{m.Value}\">{m.Value}</a>");
        encoded = BoldPattern().Replace(encoded, "<strong>$1</strong>");
        return encoded.Replace("\n", "<br>", StringComparison.Ordinal);
    }

    private static ContentHttpResult Page(string title, string heading, string body) => TypedResults.Content($"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{Encode(title)}</title><style>{Style}</style></head>
        <body><header><h1>{heading}</h1></header><main>{body}</main></body></html>
        """, "text/html; charset=utf-8");

    [GeneratedRegex(@"https?://[^\s<]+[^\s<.,;:!?)]")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(?<![\w*])\*([^*\n]+)\*(?![\w*])")]
    private static partial Regex BoldPattern();
}
