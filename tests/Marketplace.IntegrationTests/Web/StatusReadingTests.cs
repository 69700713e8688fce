using System.Text.Json;
using Marketplace.Web.Api;

namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Web reads the services' statuses into enums whatever their casing: the services answer in camelCase, and a
/// service not yet moved to it still answers in PascalCase. No I/O: the answers are written here.
/// </summary>
public sealed class StatusReadingTests
{
    [Theory]
    [InlineData("""{"status":"awaitingKioskPayment","fulfilment":"pickup","payment":"kiosk"}""")]
    [InlineData("""{"status":"AwaitingKioskPayment","fulfilment":"Pickup","payment":"Kiosk"}""")]
    public void An_order_reads_the_same_in_either_casing(string answer)
    {
        var order = JsonSerializer.Deserialize<Order>(answer, Json.Options)!;

        Assert.Equal(OrderStatus.AwaitingKioskPayment, order.Status);
        Assert.Equal(FulfilmentKind.Pickup, order.Fulfilment);
        Assert.Equal(PaymentMethod.Kiosk, order.Payment);
    }

    [Fact]
    public void A_managed_product_reads_catalogs_statuses()
    {
        var product = JsonSerializer.Deserialize<ManagedProduct>(
            """{"status":"published","revisionStatus":"submitted","images":[{"status":"processing"},{"status":"ready"}]}""", Json.Options)!;

        Assert.Equal(ProductStatus.Published, product.Status);
        Assert.Equal(RevisionStatus.Submitted, product.RevisionStatus);
        Assert.Equal([ImageStatus.Processing, ImageStatus.Ready], product.Images.Select(i => i.Status));
    }

    [Fact]
    public void A_status_named_for_markup_is_written_as_the_services_write_it()
    {
        Assert.Equal("submitted", ProductStatus.Submitted.CamelName());
        Assert.Equal("awaitingKioskPayment", OrderStatus.AwaitingKioskPayment.CamelName());
    }

    [Fact]
    public void A_status_web_does_not_know_is_refused_rather_than_misread()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Order>("""{"status":"teleported"}""", Json.Options));
    }
}
