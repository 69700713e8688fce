using Marketplace.Web.Localization;
using MassTransit;
using Microsoft.AspNetCore.Http;

namespace Marketplace.IntegrationTests.DeadLetters;

/// <summary>
/// Any message a service consumes can land in an _error queue, and the platform admin then reads its kind on the
/// dead-letter page: every one must have words there, not its type name.
/// </summary>
public sealed class DeadLetterWordsTests
{
    public static TheoryData<string> ConsumedMessages()
    {
        var services = new[]
        {
            typeof(Marketplace.Catalog.Data.CatalogDbContext).Assembly,
            typeof(Marketplace.Orders.OrdersDbContext).Assembly,
            typeof(Marketplace.Gateway.Data.GatewayDbContext).Assembly,
            typeof(Marketplace.Notifications.NotificationsDbContext).Assembly,
        };
        var contracts = typeof(Marketplace.Contracts.Orders.OrderPaid).Assembly;
        var consumed = services
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(type => type.GetInterfaces())
            .Where(contract => contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(contract => contract.GetGenericArguments()[0])
            .Where(message => message.Assembly == contracts)
            .Select(message => MessageUrn.ForTypeString(message))
            .Distinct()
            .Order(StringComparer.Ordinal);
        return new TheoryData<string>(consumed);
    }

    [Theory]
    [MemberData(nameof(ConsumedMessages))]
    public void Every_consumed_message_has_words_in_both_languages(string messageType)
    {
        var indonesian = DeadLetterWords.Type(Reader(english: false), messageType);
        var english = DeadLetterWords.Type(Reader(english: true), messageType);

        Assert.NotEqual(DeadLetterWords.ShortName(messageType), indonesian);
        Assert.NotEqual(DeadLetterWords.ShortName(messageType), english);
        Assert.NotEqual(indonesian, english);
    }

    private static Lang Reader(bool english)
    {
        var context = new DefaultHttpContext();
        if (english)
        {
            context.Request.Headers.Cookie = $"{Lang.Cookie}=en";
        }

        return new Lang(new HttpContextAccessor { HttpContext = context });
    }
}
