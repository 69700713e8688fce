namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Every browser test class shares one running marketplace: a class in this collection takes
/// <see cref="StorefrontStack"/> in its constructor and must not declare it as its own class fixture
/// (that would start a second stack).
/// </summary>
[CollectionDefinition("Storefront")]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontStack>;
