using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Marketplace.WhatsAppEmulator;

public sealed record SendResponse(string MessagingProduct, IReadOnlyList<SentContact> Contacts, IReadOnlyList<SentMessageId> Messages);

public sealed record SentContact(string Input, string WaId);

/// <summary><c>message_status</c> is only part of the answer to a template send, as with Meta.</summary>
public sealed record SentMessageId(string Id, string? MessageStatus);

/// <summary><c>POST /{version}/{phone-number-id}/messages</c>, checked as the Cloud API checks it.</summary>
public static partial class MessagesApi
{
    private const int MaxTextLength = 4096;

    public static WebApplication MapMessagesApi(this WebApplication app)
    {
        app.MapPost("/{version}/{phoneNumberId}/messages", SendAsync).WithName("SendMessage").WithSummary("Sends a template or text message.");
        return app;
    }

    private static async Task<IResult> SendAsync(
        string version,
        string phoneNumberId,
        HttpContext http,
        IOptions<WhatsAppEmulatorOptions> options,
        TemplateRegistry templates,
        EmulatorState state,
        WebhookSender webhooks,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!VersionPattern().IsMatch(version))
        {
            return GraphErrors.Result(400, $"Unknown path components: /{version}/{phoneNumberId}/messages", "OAuthException", 2500);
        }

        if (!HasToken(http.Request, settings.AccessToken))
        {
            const string invalid = "Invalid OAuth access token - Cannot parse access token";
            http.Response.Headers.WWWAuthenticate = $"OAuth \"Facebook Platform\" \"invalid_token\" \"{invalid}\"";
            return GraphErrors.InvalidToken(invalid);
        }

        if (phoneNumberId != settings.PhoneNumberId)
        {
            return GraphErrors.UnknownObject(phoneNumberId);
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return GraphErrors.InvalidParameter("The request body is not valid JSON.");
        }

        if (state.SendDelay > TimeSpan.Zero)
        {
            await Task.Delay(state.SendDelay, cancellationToken);
        }

        var parsed = Parse(body, templates);
        if (parsed.Error is not null)
        {
            return parsed.Error;
        }

        // Only a send that would otherwise succeed uses up a failure asked for, so "fail the next two" means two real sends.
        var failure = state.TakeFailure();
        if (failure is { Mode: FailureMode.Http })
        {
            return GraphErrors.SomethingWentWrong();
        }

        var failWith = failure?.Code;
        if (parsed.Type == "text" && !state.InServiceWindow(parsed.Number!))
        {
            // Meta accepts the send and reports the refusal in a failed status.
            failWith ??= DeliveryErrors.ReEngagement;
        }

        var message = new ChatMessage
        {
            Id = EmulatorState.NewMessageId(parsed.Number!),
            Number = parsed.Number!,
            Direction = Direction.Outbound,
            Type = parsed.Type!,
            Text = parsed.Text!,
            Timestamp = state.Now,
            TemplateName = parsed.Template?.Name,
            Language = parsed.Template?.Language,
            Parameters = parsed.Parameters,
            Category = parsed.Template?.Category ?? "service",
            BizOpaqueCallbackData = parsed.CallbackData,
            FailWith = failWith,
        };
        state.Add(message);
        webhooks.Track(message.Id);
        return TypedResults.Json(
            new SendResponse("whatsapp", [new SentContact(parsed.Input!, parsed.Number!)], [new SentMessageId(message.Id, parsed.Template is null ? null : "accepted")]),
            EmulatorSetup.Json);
    }

    private static bool HasToken(HttpRequest request, string expected)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        return token.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected));
    }

    private sealed record ParsedSend(
        IResult? Error,
        string? Input = null,
        string? Number = null,
        string? Type = null,
        TemplateDefinition? Template = null,
        IReadOnlyList<string>? ParametersOrNull = null,
        string? Text = null,
        string? CallbackData = null)
    {
        public IReadOnlyList<string> Parameters => ParametersOrNull ?? [];
    }

    private static ParsedSend Parse(JsonElement body, TemplateRegistry templates)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail(GraphErrors.InvalidParameter("The request body must be a JSON object."));
        }

        var product = Text(body, "messaging_product");
        if (product is null)
        {
            return Fail(Required("messaging_product"));
        }

        if (product != "whatsapp")
        {
            return Fail(GraphErrors.Result(400, $"(#100) Param messaging_product must be one of {{WHATSAPP}} - got \"{product}\".", "OAuthException", 100));
        }

        var recipientType = Text(body, "recipient_type") ?? "individual";
        if (recipientType != "individual")
        {
            return Fail(GraphErrors.InvalidParameter($"recipient_type '{recipientType}' is not emulated; only 'individual'."));
        }

        var input = Text(body, "to");
        if (input is null)
        {
            return Fail(Required("to"));
        }

        var number = input.StartsWith('+') ? input[1..] : input;
        if (!PhoneNumbers.IsPlausible(number))
        {
            // A national number such as 0812... is the usual mistake: the country code (62) must lead, without 0.
            return Fail(GraphErrors.InvalidParameter($"Param to must be a phone number in international format, country code first, 8 to 15 digits without a leading 0 - got \"{input}\"."));
        }

        var callbackData = Text(body, "biz_opaque_callback_data");
        if (callbackData is { Length: > 512 })
        {
            return Fail(GraphErrors.InvalidParameter("Param biz_opaque_callback_data must be at most 512 characters long."));
        }

        var type = Text(body, "type") ?? "text";
        return type switch
        {
            "template" => ParseTemplate(body, templates, input, number, callbackData),
            "text" => ParseText(body, input, number, callbackData),
            _ => Fail(GraphErrors.InvalidParameter($"Message type '{type}' is not emulated; only 'template' and 'text'.")),
        };
    }

    private static ParsedSend ParseText(JsonElement body, string input, string number, string? callbackData)
    {
        if (!body.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object)
        {
            return Fail(Required("text"));
        }

        var content = Text(text, "body");
        if (string.IsNullOrWhiteSpace(content))
        {
            return Fail(Required("text['body']"));
        }

        if (content.Length > MaxTextLength)
        {
            return Fail(GraphErrors.InvalidParameter($"Param text['body'] must be at most {MaxTextLength} characters long."));
        }

        return new ParsedSend(null, input, number, "text", Text: content, CallbackData: callbackData);
    }

    private static ParsedSend ParseTemplate(JsonElement body, TemplateRegistry templates, string input, string number, string? callbackData)
    {
        if (!body.TryGetProperty("template", out var template) || template.ValueKind != JsonValueKind.Object)
        {
            return Fail(Required("template"));
        }

        var name = Text(template, "name");
        if (name is null)
        {
            return Fail(Required("template['name']"));
        }

        var language = template.TryGetProperty("language", out var lang) && lang.ValueKind == JsonValueKind.Object ? Text(lang, "code") : null;
        if (language is null)
        {
            return Fail(Required("template['language']['code']"));
        }

        var definition = templates.Find(name, language);
        if (definition is null)
        {
            return Fail(GraphErrors.TemplateMissing(name, language));
        }

        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (template.TryGetProperty("components", out var components))
        {
            if (components.ValueKind != JsonValueKind.Array)
            {
                return Fail(GraphErrors.InvalidParameter("Param template['components'] must be an array."));
            }

            var index = 0;
            foreach (var component in components.EnumerateArray())
            {
                var componentType = component.ValueKind == JsonValueKind.Object ? Text(component, "type")?.ToLowerInvariant() : null;
                if (componentType is not ("header" or "body" or "button"))
                {
                    return Fail(GraphErrors.InvalidParameter($"Param template['components'][{index}]['type'] must be one of {{HEADER, BODY, BUTTON}}."));
                }

                var values = parameters.TryGetValue(componentType, out var existing) ? existing : parameters[componentType] = [];
                if (component.TryGetProperty("parameters", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    var position = 0;
                    foreach (var parameter in list.EnumerateArray())
                    {
                        var (value, error) = ParameterValue(parameter, $"template['components'][{index}]['parameters'][{position}]");
                        if (error is not null)
                        {
                            return Fail(error);
                        }

                        values.Add(value!);
                        position++;
                    }
                }

                index++;
            }
        }

        // Only body placeholders are emulated; parameters for a header or a button the template lacks are refused as Meta does.
        foreach (var (component, values) in parameters.Where(p => p.Key != "body" && p.Value.Count > 0))
        {
            return Fail(GraphErrors.ParameterCountMismatch(component, values.Count, 0));
        }

        var bodyValues = parameters.GetValueOrDefault("body") ?? [];
        var expected = TemplateRegistry.ParameterCount(definition);
        if (bodyValues.Count != expected)
        {
            return Fail(GraphErrors.ParameterCountMismatch("body", bodyValues.Count, expected));
        }

        return new ParsedSend(null, input, number, "template", definition, bodyValues, TemplateRegistry.Render(definition, bodyValues), callbackData);
    }

    /// <summary>A parameter's text; currency and date_time parameters show their <c>fallback_value</c>, as phones do.</summary>
    private static (string? Value, IResult? Error) ParameterValue(JsonElement parameter, string path)
    {
        var type = parameter.ValueKind == JsonValueKind.Object ? Text(parameter, "type") : null;
        var value = type switch
        {
            "text" => Text(parameter, "text"),
            "currency" => parameter.TryGetProperty("currency", out var c) ? Text(c, "fallback_value") : null,
            "date_time" => parameter.TryGetProperty("date_time", out var d) ? Text(d, "fallback_value") : null,
            _ => null,
        };
        if (type is not ("text" or "currency" or "date_time"))
        {
            return (null, GraphErrors.InvalidParameter($"Param {path}['type'] must be one of {{TEXT, CURRENCY, DATE_TIME}}."));
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, GraphErrors.Result(400, "(#131008) Required parameter is missing", "OAuthException", 131008, $"Parameter {path} has no value."));
        }

        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\t', StringComparison.Ordinal) || value.Contains("     ", StringComparison.Ordinal))
        {
            // A real limit that bites: an address with line breaks cannot be a template parameter.
            return (null, GraphErrors.Result(400, "(#132018) There was an issue with the parameters in your template.", "OAuthException", 132018,
                "Param text cannot have new-line/tab characters or more than 4 consecutive spaces"));
        }

        return (value, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Required(string parameter) =>
        GraphErrors.Result(400, $"(#100) The parameter {parameter} is required.", "OAuthException", 100);

    private static ParsedSend Fail(IResult error) => new(error);

    [GeneratedRegex(@"^v\d{1,2}\.\d$")]
    private static partial Regex VersionPattern();
}
