namespace Marketplace.Contracts.Gateway;

/// <summary>
/// Someone signed in (or registered) in a browser where she had shopped as a guest: what the guest put in her baskets
/// and ordered becomes the account's. <see cref="GuestId"/> is the id in the browser's guest cookie.
/// </summary>
public sealed record ShopperSignedIn(Guid UserId, Guid GuestId, DateTimeOffset SignedInAt);
