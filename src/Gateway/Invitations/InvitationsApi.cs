using System.Security.Claims;
using Marketplace.Contracts.Gateway;
using Marketplace.Gateway.Accounts;
using Marketplace.Gateway.Data;
using Marketplace.Gateway.Security;
using Marketplace.ServiceDefaults.Audit;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Formatting;
using Marketplace.ServiceDefaults.Identity;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Invitations;

/// <param name="WhatsApp">The invitee's number, if the code is to be sent to her there (Indonesian numbers as 08...).</param>
/// <param name="Email">Her email address, if the code is to be sent there instead (WhatsApp wins when both are given).</param>
/// <param name="Language">The language the message is written in (<c>id</c> or <c>en</c>): the inviting admin's page's.</param>
public sealed record CreateInvitationRequest(
    Guid CooperativeId, InvitationKind Kind, string? InviteeName, string? WhatsApp = null, string? Email = null, string? Language = null);

/// <param name="SentVia"><c>whatsApp</c> or <c>email</c> when the code is on its way to the invitee too; null when only the admin has it.</param>
public sealed record CreatedInvitation(Guid Id, Guid CooperativeId, InvitationKind Kind, string Code, Uri Link, DateTimeOffset ExpiresAt, string? SentVia = null);

public sealed record InvitationSummary(Guid Id, InvitationKind Kind, string? InviteeName, InvitationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt);

public sealed record InvitationPreview(string CooperativeName, InvitationKind Kind, string? InviteeName, DateTimeOffset ExpiresAt);

/// <summary>Accepting as a new account needs the registration fields; a signed-in account needs only the code.</summary>
public sealed record AcceptInvitationRequest(string Code, string? DisplayName, string? Email, string? Phone, string? Password);

public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account/invitations").WithTags("Invitations");

        group.MapPost("/", CreateAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("CreateInvitation")
            .WithSummary("A cooperative's admin invites a member, a kiosk clerk or another admin; the platform admin may invite a cooperative's first admin.");
        group.MapGet("/cooperative/{cooperativeId:guid}", ListAsync)
            .RequireAdminOfRouteCooperative()
            .WithName("ListInvitations")
            .WithSummary("The cooperative's invitations, newest first, with their status.");
        group.MapDelete("/{id:guid}", RevokeAsync)
            .RequireAuthorization(MarketplacePolicies.CooperativeAdmin)
            .WithName("RevokeInvitation")
            .WithSummary("Withdraws an invitation not used yet.");
        group.MapPost("/preview", PreviewAsync)
            .RequireAccountRateLimit()
            .WithName("PreviewInvitation")
            .WithSummary("What an invitation code is for, so the invitee sees whom she is joining before registering.");
        group.MapPost("/accept", AcceptAsync)
            .RequireAccountRateLimit()
            .WithName("AcceptInvitation")
            .WithSummary("Uses an invitation once: registers the invitee (or upgrades the signed-in account) into the cooperative.");
        return app;
    }

    private static async Task<Results<Created<CreatedInvitation>, NotFound<ProblemDetails>, ForbidHttpResult>> CreateAsync(
        CreateInvitationRequest request,
        ClaimsPrincipal user,
        GatewayDbContext db,
        IOutbox outbox,
        TimeProvider clock,
        IOptions<AccountOptions> options,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        // Only the cooperative's own admins (or the platform admin) may invite into it; a guessed id gets 403.
        if (!user.IsAdminOf(request.CooperativeId))
        {
            return TypedResults.Forbid();
        }

        if (!Enum.IsDefined(request.Kind))
        {
            throw new DomainException("kind must be member, admin or clerk.", "invalid_kind");
        }

        // Every field's mistake at once, each at its field.
        var errors = new FieldErrors();
        if (request.InviteeName?.Trim().Length > 100)
        {
            errors.Add("inviteeName", "invalid_name", "The invitee's name has at most 100 characters.");
        }

        var whatsApp = errors.Check("whatsApp", () => WhatsAppNumber.NormalizeOptional(request.WhatsApp));
        var email = errors.Check("email", () => SignInName.NormalizeEmail(request.Email));
        errors.ThrowIfAny();

        var cooperative = await db.Cooperatives.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.CooperativeId, cancellationToken);
        if (cooperative is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Unknown cooperative", Detail = "No cooperative with this id is registered (yet).", Status = 404 });
        }

        if (!cooperative.Active)
        {
            throw new ConflictException("A suspended cooperative cannot invite anyone.", "cooperative_suspended");
        }

        var now = clock.GetUtcNow();
        var (invitation, code) = Invitation.Issue(request.CooperativeId, request.Kind, request.InviteeName, user.UserId()!.Value, now, options.Value.InvitationLifetime);
        db.Invitations.Add(invitation);
        audit.Record(db, "invitation.created", invitation.CooperativeId, "invitation", invitation.Id, null,
            new { invitation.Kind, invitation.InviteeName, invitation.ExpiresAt, sentTo = whatsApp ?? email });
        var link = new Uri(options.Value.PublicBaseUrl, $"/join?code={Uri.EscapeDataString(code)}");
        if (whatsApp is not null || email is not null)
        {
            // Only the code's hash is stored; the code itself travels once, in this message, for Notifications to send.
            outbox.Publish(
                new InvitationSent(invitation.Id, invitation.CooperativeId, KindName(invitation.Kind), invitation.InviteeName,
                    email, whatsApp, request.Language == "en" ? "en" : "id", code, link, invitation.ExpiresAt, now),
                orderingKey: invitation.Id.ToString());
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/account/invitations/{invitation.Id}",
            new CreatedInvitation(invitation.Id, invitation.CooperativeId, invitation.Kind, code, link, invitation.ExpiresAt,
                whatsApp is not null ? "whatsApp" : email is not null ? "email" : null));
    }

    private static async Task<Ok<List<InvitationSummary>>> ListAsync(
        Guid cooperativeId, GatewayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var invitations = await db.Invitations.AsNoTracking()
            .Where(i => i.CooperativeId == cooperativeId)
            .OrderByDescending(i => i.CreatedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(invitations
            .Select(i => new InvitationSummary(i.Id, i.Kind, i.InviteeName, i.StatusAt(now), i.CreatedAt, i.ExpiresAt, i.AcceptedAt))
            .ToList());
    }

    private static async Task<Results<NoContent, NotFound, ForbidHttpResult>> RevokeAsync(
        Guid id, ClaimsPrincipal user, GatewayDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null)
        {
            return TypedResults.NotFound();
        }

        if (!user.IsAdminOf(invitation.CooperativeId))
        {
            return TypedResults.Forbid();
        }

        // Conditional, so an acceptance committing at the same moment wins cleanly instead of being overwritten.
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await db.Invitations
            .Where(i => i.Id == id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.RevokedAt, i => i.RevokedAt ?? now), cancellationToken);
        if (revoked != 1)
        {
            throw new ConflictException("This invitation was already used.", "invitation_used");
        }

        audit.Record(db, "invitation.revoked", invitation.CooperativeId, "invitation", invitation.Id, new { invitation.Kind, invitation.InviteeName }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<InvitationPreview>, NotFound<ProblemDetails>>> PreviewAsync(
        AcceptInvitationRequest request, GatewayDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var hash = InvitationCode.Hash(request.Code ?? string.Empty);
        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.CodeHash == hash)
            .Join(db.Cooperatives, i => i.CooperativeId, c => c.Id, (i, c) => new { Invitation = i, CooperativeName = c.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.Invitation.StatusAt(clock.GetUtcNow()) != InvitationStatus.Open)
        {
            return TypedResults.NotFound(UnusableCode());
        }

        return TypedResults.Ok(new InvitationPreview(found.CooperativeName, found.Invitation.Kind, found.Invitation.InviteeName, found.Invitation.ExpiresAt));
    }

    internal static async Task<Results<Ok<AccountResponse>, NotFound<ProblemDetails>, ValidationProblem>> AcceptAsync(
        AcceptInvitationRequest request,
        HttpContext http,
        GatewayDbContext db,
        UserManager<MarketplaceUser> users,
        SignInManager<MarketplaceUser> signIn,
        IOutbox outbox,
        IAntiforgery antiforgery,
        TimeProvider clock,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = InvitationCode.Hash(request.Code ?? string.Empty);
        var signedIn = http.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(http.User) : null;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claiming the invitation first, in one statement, is what makes it single-use: a second, concurrent
        // acceptance waits for this transaction and then finds it taken.
        var claimed = await db.Invitations
            .Where(i => i.CodeHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now
                && db.Cooperatives.Any(c => c.Id == i.CooperativeId && c.Active))
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.AcceptedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return TypedResults.NotFound(UnusableCode());
        }

        var invitation = await db.Invitations.SingleAsync(i => i.CodeHash == hash, cancellationToken);
        var account = signedIn;
        if (account is null)
        {
            var created = await AccountCreation.CreateAsync(
                users,
                new RegisterRequest(request.DisplayName ?? invitation.InviteeName ?? string.Empty, request.Email, request.Phone, request.Password ?? string.Empty),
                Memberships.RoleOf(invitation.Kind),
                outbox,
                now,
                cancellationToken);
            if (created.Errors is { } errors)
            {
                return errors;
            }

            account = created.Account!;
        }

        await Memberships.GrantAsync(users, account, invitation, outbox, now);
        await db.Entry(invitation).ReloadAsync(cancellationToken);
        db.Entry(invitation).Property(i => i.AcceptedBy).CurrentValue = account.Id;
        // A role given is the one entry here whose actor is the invitee herself, possibly an account made a moment ago.
        var role = Memberships.RoleOf(invitation.Kind);
        audit.RecordAs(db, audit.ActorFor(account.Id, account.DisplayName, role), "role.granted", invitation.CooperativeId, "account", account.Id,
            null, new { role, invitation = invitation.Id, invitation.Kind });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // New roles take effect in this browser now; API clients get them with their next token.
        await signIn.SignInAsync(account, isPersistent: false);
        return TypedResults.Ok(await AccountsApi.DescribeAsync(users, account) with
        {
            AntiforgeryToken = await AccountsApi.FreshAntiforgeryTokenAsync(http, signIn, antiforgery, account),
        });
    }

    private static string KindName(InvitationKind kind) => kind switch
    {
        InvitationKind.Admin => "admin",
        InvitationKind.Clerk => "clerk",
        _ => "member",
    };

    private static ProblemDetails UnusableCode() => new()
    {
        Title = "Invitation not usable",
        Detail = "This invitation code is unknown, already used, withdrawn or expired. Ask the cooperative for a new one.",
        Status = StatusCodes.Status404NotFound,
        Extensions = { ["code"] = "invitation_unusable" },
    };
}

/// <summary>What accepting an invitation grants, and the rule that keeps an account's cooperatives unambiguous.</summary>
internal static class Memberships
{
    public static async Task GrantAsync(UserManager<MarketplaceUser> users, MarketplaceUser account, Invitation invitation, IOutbox outbox, DateTimeOffset now)
    {
        var claims = await users.GetClaimsAsync(account);
        var administered = claims.Where(c => c.Type == MarketplaceClaims.CooperativeId).Select(c => Guid.Parse(c.Value)).ToHashSet();

        // Tokens carry one set of cooperative ids for every role, so an account's roles must all be of one cooperative
        // wherever a role would reach another's: a member or a clerk of one cooperative administers, joins or sells at no
        // other. (An admin may administer several; she is then no member and no clerk.)
        switch (invitation.Kind)
        {
            case InvitationKind.Member:
                if (administered.Count > 0 && !administered.Contains(invitation.CooperativeId))
                {
                    throw new ConflictException("An admin or clerk of another cooperative cannot join this one as a member.", "cooperative_conflict");
                }

                var memberId = account.JoinAsMember(invitation.CooperativeId);
                Check(await users.UpdateAsync(account));
                await EnsureRoleAsync(users, account, MarketplaceRoles.Member);
                outbox.Publish(
                    new MemberJoined(memberId, account.Id, invitation.CooperativeId, account.DisplayName, account.PhoneNumber, now),
                    orderingKey: memberId.ToString());
                break;
            case InvitationKind.Clerk:
                if ((account.MemberCooperativeId is { } memberOf && memberOf != invitation.CooperativeId) || administered.Any(c => c != invitation.CooperativeId))
                {
                    throw new ConflictException("A member, admin or clerk of another cooperative cannot be this one's clerk.", "cooperative_conflict");
                }

                await AddCooperativeAsync(users, account, administered, invitation.CooperativeId);
                await EnsureRoleAsync(users, account, MarketplaceRoles.KioskClerk);
                break;
            default:
                if (account.MemberCooperativeId is { } own && own != invitation.CooperativeId)
                {
                    throw new ConflictException("A member of another cooperative cannot administer this one.", "cooperative_conflict");
                }

                if (await users.IsInRoleAsync(account, MarketplaceRoles.KioskClerk) && administered.Any(c => c != invitation.CooperativeId))
                {
                    throw new ConflictException("A clerk of another cooperative cannot administer this one.", "cooperative_conflict");
                }

                await AddCooperativeAsync(users, account, administered, invitation.CooperativeId);
                await EnsureRoleAsync(users, account, MarketplaceRoles.CooperativeAdmin);
                break;
        }

        // Saved with the caller's SaveChanges, in its transaction. The cooperative claims are also a clerk's: only an admin's
        // are announced as administered, or Notifications would write to a clerk as to the cooperative's admins.
        AccountContacts.Changed(outbox, account, await users.IsInRoleAsync(account, MarketplaceRoles.CooperativeAdmin) ? administered : [], now);
    }

    /// <summary>The role a new account accepting this kind of invitation is created with.</summary>
    public static string RoleOf(InvitationKind kind) => kind switch
    {
        InvitationKind.Member => MarketplaceRoles.Member,
        InvitationKind.Clerk => MarketplaceRoles.KioskClerk,
        _ => MarketplaceRoles.CooperativeAdmin,
    };

    private static async Task AddCooperativeAsync(UserManager<MarketplaceUser> users, MarketplaceUser account, HashSet<Guid> administered, Guid cooperativeId)
    {
        if (administered.Add(cooperativeId))
        {
            Check(await users.AddClaimAsync(account, new Claim(MarketplaceClaims.CooperativeId, cooperativeId.ToString())));
        }
    }

    private static async Task EnsureRoleAsync(UserManager<MarketplaceUser> users, MarketplaceUser account, string role)
    {
        if (!await users.IsInRoleAsync(account, role))
        {
            Check(await users.AddToRoleAsync(account, role));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw new ConflictException("The account changed while joining; try again.", "concurrent_change");
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
