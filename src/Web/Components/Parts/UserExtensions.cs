using System.Security.Claims;
using Marketplace.ServiceDefaults.Identity;

namespace Marketplace.Web.Components.Parts;

public static class UserExtensions
{
    public static Guid UserIdOrEmpty(this ClaimsPrincipal user) => user.UserId() ?? Guid.Empty;
}
