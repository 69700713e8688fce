namespace Marketplace.Orders.OrderAggregate;

/// <summary>
/// Whom a kuitansi is made out to: the institution's name, and if given its address, its NPWP (digits only) and what the
/// payment was for ("untuk pembayaran"), and when it was asked.
/// </summary>
public sealed record KuitansiRecipient(string Institution, string? Address, string? Npwp, string? Purpose, DateTimeOffset RequestedAt);
