using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.ServiceDefaults.Formatting;

/// <summary>
/// Put on an enum that leaves a service in its answers: it is written as its camelCase name ("pendingReview") by any
/// serializer, not only one configured like the service's, and read in any casing.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
