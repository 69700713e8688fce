using System.Security.Claims;
using Marketplace.Notifications.Deliveries;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Notifications.People;

/// <summary>
/// What a person chose, and what she can choose from: the channels she has an address on (the address itself is shown
/// only partly, as she entered it at the Gateway).
/// </summary>
public sealed record PreferencesResponse(string Language, DeliveryChannel? Channel, string? WhatsApp, string? Email, DeliveryChannel? SendsTo);

/// <summary><see cref="Channel"/> null: WhatsApp when she has a number, else email.</summary>
public sealed record PreferencesRequest(string? Language, DeliveryChannel? Channel);

/// <summary>Each signed-in person chooses the language of her messages and the channel they come on.</summary>
public static class PreferencesApi
{
    public static RouteGroupBuilder MapPreferencesApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me/preferences").RequireAuthorization().WithTags("Preferences");
        me.MapGet("/", GetAsync).WithName("MyMessagePreferences").WithSummary("The language and channel of my messages.");
        me.MapPut("/", PutAsync).WithName("ChooseMessagePreferences").WithSummary("Chooses the language (id, en) and channel (whatsApp, email, or null for automatic).");
        return api;
    }

    private static async Task<Results<Ok<PreferencesResponse>, UnauthorizedHttpResult>> GetAsync(
        ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId)
        {
            return TypedResults.Unauthorized();
        }

        var person = await db.People.FindAsync([userId], cancellationToken);
        return TypedResults.Ok(person is null ? new PreferencesResponse("id", null, null, null, null) : Describe(person));
    }

    private static async Task<Results<Ok<PreferencesResponse>, UnauthorizedHttpResult>> PutAsync(
        PreferencesRequest request, ClaimsPrincipal user, NotificationsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId)
        {
            return TypedResults.Unauthorized();
        }

        var now = clock.GetUtcNow();
        var person = await db.People.FindAsync([userId], cancellationToken);
        var errors = new FieldErrors();
        if (request.Language is not ("id" or "en"))
        {
            errors.Add("language", "invalid_language", "Choose Bahasa Indonesia (id) or English (en).");
        }

        if (request.Channel == DeliveryChannel.Email && person?.Email is null)
        {
            errors.Add("channel", "no_email_on_account", "This account has no email address: messages can come only by WhatsApp.");
        }
        else if (request.Channel == DeliveryChannel.WhatsApp && person?.WhatsApp is null)
        {
            errors.Add("channel", "no_whatsapp_on_account", "This account has no WhatsApp number: messages can come only by email.");
        }

        errors.ThrowIfAny();
        if (person is null)
        {
            // Her choice may come before the Gateway's news of her account: it is kept, and her contact joins it later.
            person = Person.Known(userId, now);
            db.People.Add(person);
        }

        person.Choose(request.Language!, request.Channel, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Describe(person));
    }

    private static PreferencesResponse Describe(Person person) =>
        new(person.Language, person.PreferredChannel, Addresses.Masked(person.WhatsApp), Addresses.Masked(person.Email), person.Reach()?.Channel);
}
