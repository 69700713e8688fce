namespace Marketplace.Web.Api;

// Settlement's statuses as its API sends them (camelCase names, read by Json.Options' enum converter).

public enum PayoutBatchStatus
{
    Draft,
    Approved,
    Paid,
}

public enum PayoutLineStatus
{
    Pending,
    Paid,
    Failed,
}

public enum PayoutMethod
{
    Cash,
    Bank,
}
