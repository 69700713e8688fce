using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests;

/// <summary>
/// Stock for a test's product, the only way a member's goods reach the shelf: she announces a delivery (titip barang)
/// and an admin of her cooperative receives all of it.
/// </summary>
public static class KioskDeliveries
{
    /// <summary>Announces the lines (good for half a year) as the member and receives them in full as the admin.</summary>
    public static async Task BringAsync(HttpClient member, HttpClient admin, params (Guid VariantId, int Quantity)[] lines)
    {
        var expiresOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(180);
        var announced = await member.PostAsJsonAsync("/api/catalog/deliveries", new
        {
            lines = lines.Select(l => new { variantId = l.VariantId, quantity = l.Quantity, expiresOn }).ToArray(),
        });
        Assert.True(announced.StatusCode == HttpStatusCode.Created, await announced.Content.ReadAsStringAsync());
        var delivery = (await announced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var received = await admin.PostAsJsonAsync($"/api/catalog/deliveries/{delivery}/receive", new
        {
            lines = lines.Select((l, i) => new { lineNo = i + 1, accepted = l.Quantity }).ToArray(),
        });
        Assert.True(received.StatusCode == HttpStatusCode.OK, await received.Content.ReadAsStringAsync());
    }
}
