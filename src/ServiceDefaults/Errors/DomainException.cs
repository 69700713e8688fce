namespace Marketplace.ServiceDefaults.Errors;

/// <summary>A business rule refused the request: the caller can fix it (400).</summary>
public class DomainException(string message, string code = "domain_rule") : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The thing asked for does not exist, or the caller may not know that it exists (404).</summary>
public sealed class NotFoundException(string message, string code = "not_found") : DomainException(message, code);

/// <summary>The request clashes with the current state, e.g. a concurrent change (409).</summary>
public sealed class ConflictException(string message, string code = "conflict") : DomainException(message, code);

/// <summary>The request body is larger than this endpoint accepts (413).</summary>
public sealed class PayloadTooLargeException(string message, string code = "too_large") : DomainException(message, code);
