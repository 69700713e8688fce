namespace Marketplace.IntegrationTests.Web;

/// <summary>
/// Every browser test class shares one running marketplace: starting a second one would double the suite's time and
/// memory for nothing. A class joins with <c>[Collection(StorefrontCollection.Name)]</c> and takes the stack in its
/// constructor (not as a class fixture, which would start its own).
/// </summary>
[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontStack>
{
    public const string Name = "Storefront";
}
