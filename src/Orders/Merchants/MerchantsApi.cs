using Marketplace.Orders.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Orders.Merchants;

public sealed record MerchantResponse(Guid CooperativeId, string Slug, string Name);

public static class MerchantsApi
{
    public static RouteGroupBuilder MapMerchantsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/merchants").WithTags("Merchants");
        group.MapGet("/{cooperativeId:guid}", GetAsync)
            .WithName("GetMerchant")
            .WithSummary("The cooperative a basket would be paid to, as Orders knows it.");
        return group;
    }

    public static async Task<Results<Ok<MerchantResponse>, NotFound>> GetAsync(Guid cooperativeId, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var merchant = await db.Merchants.AsNoTracking().FirstOrDefaultAsync(m => m.CooperativeId == cooperativeId, cancellationToken);
        return merchant is null ? TypedResults.NotFound() : TypedResults.Ok(new MerchantResponse(merchant.CooperativeId, merchant.Slug, merchant.Name));
    }
}
