namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Every browser test class shares one <see cref="StorefrontStack"/>: the whole marketplace and Chromium start once,
/// and the classes run one after another.
/// </summary>
[CollectionDefinition("Storefront")]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontStack>;
