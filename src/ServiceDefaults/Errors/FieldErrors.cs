namespace Marketplace.ServiceDefaults.Errors;

/// <summary>One refused field: where (<c>listing.nameId</c>, <c>variants[1].priceRupiah</c>), which rule, and the rule in words.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>
/// Several fields were refused at once (400). A person filling in a form is told every mistake in one go,
/// each at its field, rather than one per attempt.
/// </summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : DomainException(errors.Count == 1 ? errors[0].Message : "Some fields need attention.", errors.Count == 1 ? errors[0].Code : "validation_failed")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// Collects the refusals of several checks, naming each by its field, and throws them together. The rules
/// themselves stay where they are (they throw a <see cref="DomainException"/>): this only runs them all.
/// </summary>
public sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string code, string message) => _errors.Add(new FieldError(field, code, message));

    /// <summary>Runs a check that returns a value; on refusal records it at <paramref name="field"/> and returns default.</summary>
    public T? Check<T>(string field, Func<T> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            return check();
        }
        catch (ValidationFailedException nested)
        {
            // A part that collects its own fields (a variant row): its fields sit under this one.
            _errors.AddRange(nested.Errors.Select(e => e with { Field = Join(field, e.Field) }));
        }
        catch (DomainException refused) when (refused is not NotFoundException and not ConflictException)
        {
            Add(field, refused.Code, refused.Message);
        }

        return default;
    }

    /// <summary>Runs a check; on refusal records it at <paramref name="field"/>.</summary>
    public void Check(string field, Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check(field, () =>
        {
            check();
            return true;
        });
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ValidationFailedException([.. _errors]);
        }
    }

    private static string Join(string prefix, string field) =>
        string.IsNullOrEmpty(prefix) ? field : string.IsNullOrEmpty(field) ? prefix : $"{prefix}.{field}";
}
