using Marketplace.Orders.Checkout;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Tests;

public sealed class OrderPlacingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static OrderLine Line(int quantity, long unitPrice) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "snacks", "Kerupuk ikan", "250 g", quantity, unitPrice, 250);

    [Fact]
    public void An_order_fixes_its_total_from_its_lines_and_shipping()
    {
        var order = Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null), FulfilmentKind.Shipping, null,
            new ShippingAddress("Siti", "Jl. Pantai 1", "Probolinggo", "Jawa Timur", "67211"), PaymentMethod.Card,
            [Line(2, 15_000), Line(1, 7_500)], 12_000, Now);

        Assert.Equal(37_500, order.ItemsTotalRupiah);
        Assert.Equal(49_500, order.TotalRupiah);
        Assert.Equal(OrderStatus.Reserving, order.Status);
    }

    [Fact]
    public void An_empty_basket_is_not_an_order()
    {
        var refused = Assert.Throws<DomainException>(() => Order.Place(Guid.NewGuid(), "guest:1", new Contact("Siti", "+6281234567890", null),
            FulfilmentKind.Pickup, new DateOnly(2026, 12, 2), null, PaymentMethod.Kiosk, [], 0, Now));

        Assert.Equal("empty_basket", refused.Code);
    }
}
