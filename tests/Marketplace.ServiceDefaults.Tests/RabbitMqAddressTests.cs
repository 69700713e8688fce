using Marketplace.ServiceDefaults.Messaging;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class RabbitMqAddressTests
{
    [Fact]
    public void An_amqp_uri_gives_host_port_virtual_host_and_credentials()
    {
        var address = RabbitMqAddress.Parse("amqp://shop:s%40cret@rabbit.internal:5673/marketplace%2Fprod");

        Assert.Equal(new RabbitMqAddress("rabbit.internal", 5673, "marketplace/prod", "shop", "s@cret"), address);
    }

    [Fact]
    public void Missing_parts_fall_back_to_RabbitMQ_defaults()
    {
        var address = RabbitMqAddress.Parse("amqp://localhost");

        Assert.Equal(new RabbitMqAddress("localhost", 5672, "/", "guest", "guest"), address);
    }

    [Fact]
    public void A_non_amqp_uri_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse("http://localhost:15672"));

        Assert.Contains("amqp://", error.Message, StringComparison.Ordinal);
    }
}
