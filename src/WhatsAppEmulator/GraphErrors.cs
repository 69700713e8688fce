using System.Security.Cryptography;

namespace Marketplace.WhatsAppEmulator;

/// <summary>
/// Errors in the Graph API's shape, as Meta answers them:
/// <c>{"error": {"message", "type", "code", "error_subcode"?, "error_data"?: {"messaging_product", "details"}, "fbtrace_id"}}</c>.
/// </summary>
public static class GraphErrors
{
    public static IResult Result(int status, string message, string type, int code, string? details = null, int? subcode = null) =>
        TypedResults.Json(
            new GraphErrorBody(new GraphError(
                message,
                type,
                code,
                subcode,
                details is null ? null : new GraphErrorData("whatsapp", details),
                FbTraceId())),
            EmulatorSetup.Json,
            statusCode: status);

    /// <summary>What Meta answers a missing, expired or unknown token (and a <c>WWW-Authenticate</c> header, added by the caller).</summary>
    public static IResult InvalidToken(string message) => Result(401, message, "OAuthException", 190);

    /// <summary>A phone-number id that is not this business's: Graph cannot find the object.</summary>
    public static IResult UnknownObject(string id) => Result(
        400,
        $"Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        "GraphMethodException",
        100,
        subcode: 33);

    /// <summary>Error 100, Meta's answer to a missing or malformed parameter.</summary>
    public static IResult InvalidParameter(string details) => Result(400, "(#100) Invalid parameter", "OAuthException", 100, details);

    public static IResult TemplateMissing(string name, string language) => Result(
        404, "(#132001) Template name does not exist in the translation", "OAuthException", 132001,
        $"template name ({name}) does not exist in {language}");

    public static IResult ParameterCountMismatch(string component, int given, int expected) => Result(
        400, "(#132000) Number of parameters does not match the expected number of params", "OAuthException", 132000,
        $"{component}: number of localizable_params ({given}) does not match the expected number of params ({expected})");

    /// <summary>Meta's transient failure; callers are expected to retry.</summary>
    public static IResult SomethingWentWrong() => Result(
        500, "(#131000) Something went wrong", "OAuthException", 131000, "Something went wrong. Please retry later.");

    /// <summary>Graph's trace id: 23 URL-safe base64 characters.</summary>
    public static string FbTraceId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_')[..23];
}

public sealed record GraphErrorBody(GraphError Error);

public sealed record GraphError(string Message, string Type, int Code, int? ErrorSubcode, GraphErrorData? ErrorData, string FbtraceId);

public sealed record GraphErrorData(string MessagingProduct, string Details);

/// <summary>The errors a <c>failed</c> status carries, with Meta's titles for the codes the emulator can produce.</summary>
public static class DeliveryErrors
{
    public const int Undeliverable = 131026;
    public const int ReEngagement = 131047;

    public static string Title(int code) => code switch
    {
        Undeliverable => "Message undeliverable",
        ReEngagement => "Re-engagement message",
        131049 => "This message was not delivered to maintain healthy ecosystem engagement.",
        131050 => "User has stopped marketing messages",
        131051 => "Unsupported message type",
        131000 => "Something went wrong",
        _ => "Message failed to send",
    };

    public static string Details(int code) => code switch
    {
        Undeliverable => "Message Undeliverable.",
        ReEngagement => "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        _ => Title(code),
    };
}
