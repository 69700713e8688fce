using System.Net;
using Marketplace.Catalog.Data;
using Marketplace.LocalInfrastructure;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests;

public sealed class OutageTests
{
    [Fact]
    public async Task With_RabbitMQ_stopped_API_writes_succeed_and_their_messages_arrive_once_it_is_back()
    {
        await using var rabbit = await RabbitMqServer.StartAsync(TestInfrastructure.NewRunFolder("rabbitmq"), deleteOnDispose: true);
        var scope = await TestScope.CreateOnAsync(postgres: null, rabbit);
        await using var services = await CatalogAndOrders.StartAsync(scope);

        await rabbit.StopAsync();
        var registered = new List<Guid>();
        foreach (var slug in new[] { "koperasi-satu", "koperasi-dua", "koperasi-tiga" })
        {
            registered.Add((await services.RegisterCooperativeAsync(slug)).Id);
        }

        await using (var catalogScope = services.Catalog.CreateScope())
        {
            var db = catalogScope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            Assert.Equal(3, await db.Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null));
        }

        await rabbit.RestartAsync();

        foreach (var id in registered)
        {
            await Eventually.TrueAsync(async () => await services.MerchantNameInOrdersAsync(id) is not null, TimeSpan.FromSeconds(90), $"cooperative {id} to reach Orders");
        }
    }

    [Fact]
    public async Task Ready_reports_unhealthy_while_the_database_is_down_and_healthy_again_after()
    {
        await using var postgres = await PostgresServer.StartAsync(TestInfrastructure.NewRunFolder("postgres"), durable: false, deleteOnDispose: true);
        var scope = await TestScope.CreateOnAsync(postgres, rabbit: null);
        var settings = ServiceSettings.For(scope, TestTokens.Issuer, "catalog");
        settings["ConnectionStrings:catalogdb"] = scope.Database("catalog");
        await using var catalog = new ServiceHost<Catalog.Program>(settings);
        var client = catalog.CreateClient();
        var ready = new Uri("/health/ready", UriKind.Relative);
        await Eventually.TrueAsync(async () => (await client.GetAsync(ready)).IsSuccessStatusCode, because: "Catalog to be ready");

        await postgres.StopAsync();
        await Eventually.TrueAsync(async () => (await client.GetAsync(ready)).StatusCode == HttpStatusCode.ServiceUnavailable, because: "ready to report the database down");
        // Alive all the same: restarting the process would not bring the database back.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        await postgres.RestartAsync();
        await Eventually.TrueAsync(async () => (await client.GetAsync(ready)).IsSuccessStatusCode, because: "ready to recover with the database");
    }
}
