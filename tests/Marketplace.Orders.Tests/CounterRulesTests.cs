using Marketplace.Contracts.Orders;
using Marketplace.Orders.Counter;
using Marketplace.Orders.Merchants;
using Marketplace.Orders.Tills;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Orders.Tests;

/// <summary>The counter's pure rules: receipt numbers, the QRIS sticker's checksum, and a till's arithmetic.</summary>
public sealed class CounterRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, "K-20261201-0001")]
    [InlineData(7, "K-20261201-0007")]
    [InlineData(12345, "K-20261201-12345")]
    public void A_receipt_number_is_the_day_and_its_sequence(int sequence, string expected) =>
        Assert.Equal(expected, ReceiptNumbers.Format(new DateOnly(2026, 12, 1), sequence));

    [Fact]
    public void The_QRIS_checksum_is_CRC16_CCITT_FALSE() =>
        // The catalogue check value of CRC-16/CCITT-FALSE.
        Assert.Equal(0x29B1, Qris.Crc16CcittFalse("123456789"));

    [Fact]
    public void A_QRIS_payload_read_whole_is_accepted_and_a_misread_one_refused_at_its_field()
    {
        var payload = Sticker("ID.CO.QRIS.WWW", "KOPERASI WANITA BINOR");
        var misread = payload[..20] + (payload[20] == 'A' ? 'B' : 'A') + payload[21..];

        Assert.Equal(payload, Qris.Validate("  " + payload + " "));
        var lowerCaseCrc = payload[..^4] + payload[^4..].ToLowerInvariant();
        Assert.Equal(lowerCaseCrc, Qris.Validate(lowerCaseCrc));
        Assert.Equal("qris_checksum", FieldCode(() => Qris.Validate(misread)));
        Assert.Equal("invalid_qris", FieldCode(() => Qris.Validate("hello world, not a qris code")));
        Assert.Equal("invalid_qris", FieldCode(() => Qris.Validate(payload[..^10])));
        Assert.Equal("invalid_qris", FieldCode(() => Qris.Validate(null)));
    }

    [Fact]
    public void The_cash_expected_is_the_float_plus_cash_sales_and_paid_in_less_refunds_and_paid_out()
    {
        var session = Open(100_000);

        Assert.NotNull(session.TakeSale(Guid.NewGuid(), cash: true, 50_000, "clerk", Now, out var late));
        Assert.Null(session.TakeSale(Guid.NewGuid(), cash: false, 80_000, "clerk", Now, out _));
        session.PayRefund(Guid.NewGuid(), Guid.NewGuid(), 10_000, "clerk", Now);
        var paidIn = session.MoveCash(20_000, intoTill: true, "uang kembalian", "clerk", Now);
        var paidOut = session.MoveCash(5_000, intoTill: false, "beli kantong plastik", "clerk", Now);

        Assert.False(late);
        Assert.Equal(155_000, session.ExpectedCashRupiah);
        Assert.Equal((80_000L, 1), (session.QrisSalesRupiah, session.QrisSalesCount));
        Assert.Equal((20_000L, -5_000L), (paidIn.AmountRupiah, paidOut.AmountRupiah));
        var moved = session.MessagesOwed().Select(m => Assert.IsType<TillCashMoved>(m.Message)).ToList();
        Assert.Equal([20_000L, -5_000L], moved.Select(m => m.AmountRupiah));
        Assert.Equal(paidIn.Id, moved[0].MovementId);
    }

    [Fact]
    public void Closing_publishes_the_difference_and_one_above_the_threshold_awaits_review()
    {
        var small = Open(100_000);
        var large = Open(100_000);

        small.Close(95_000, "  kurang lima ribu ", 10_000, "clerk", Now);
        large.Close(80_000, null, 10_000, "clerk", Now);

        var recorded = Assert.IsType<TillDifferenceRecorded>(small.MessagesOwed()[^1].Message);
        Assert.Equal((1, -5_000L, "kurang lima ribu"), (recorded.Revision, recorded.DifferenceRupiah, recorded.Note));
        Assert.False(small.AwaitsReview);
        Assert.True(large.AwaitsReview);
        Assert.Equal("till_closed", Assert.Throws<ConflictException>(() => small.MoveCash(1_000, true, "x", "clerk", Now)).Code);
        Assert.Equal("no_review_pending", Assert.Throws<ConflictException>(() => small.Review("ok", "admin", Now)).Code);
        large.Review("uang dipinjam untuk beli es, dikembalikan besok", "admin", Now);
        Assert.False(large.AwaitsReview);
    }

    [Fact]
    public void A_late_cash_sale_raises_the_cash_expected_and_publishes_the_difference_again_but_a_late_QRIS_sale_does_not()
    {
        var session = Open(50_000);
        session.TakeSale(Guid.NewGuid(), cash: true, 30_000, "clerk", Now, out _);
        session.Close(80_000, null, 10_000, "clerk", Now);

        session.TakeSale(Guid.NewGuid(), cash: false, 10_000, "clerk", Now, out var lateQris);
        var owedAfterQris = session.MessagesOwed().Count;
        session.TakeSale(Guid.NewGuid(), cash: true, 25_000, "clerk", Now, out var lateCash);

        Assert.True(lateQris && lateCash);
        Assert.Equal(1, owedAfterQris);
        Assert.Equal(2, session.LateSalesCount);
        Assert.Equal(105_000, session.ExpectedCashRupiah);
        var revised = Assert.IsType<TillDifferenceRecorded>(session.MessagesOwed()[^1].Message);
        Assert.Equal((2, -25_000L), (revised.Revision, revised.DifferenceRupiah));
        // Counted 80 000 against 105 000 now: above the threshold, so it waits for a review it did not need before.
        Assert.True(session.AwaitsReview);
    }

    [Fact]
    public void Cash_moves_need_a_reason_and_never_take_out_more_than_the_drawer_holds()
    {
        var session = Open(10_000);

        var refused = Assert.Throws<ValidationFailedException>(() => session.MoveCash(20_000, intoTill: false, "  ", "clerk", Now));
        Assert.Equal(["amountRupiah", "reason"], refused.Errors.Select(e => e.Field));
        Assert.Equal("not_enough_cash", Assert.Throws<DomainException>(() => session.PayRefund(Guid.NewGuid(), Guid.NewGuid(), 10_001, "clerk", Now)).Code);
        Assert.Equal(10_000, session.ExpectedCashRupiah);
        Assert.Empty(session.MessagesOwed());
    }

    private static TillSession Open(long floatRupiah) =>
        TillSession.Open(Till.Create(Guid.NewGuid(), Till.DefaultName, Now), floatRupiah, "clerk", Now);

    private static string FieldCode(Action action)
    {
        var refused = Assert.Throws<ValidationFailedException>(action);
        Assert.Equal("payload", Assert.Single(refused.Errors).Field);
        return refused.Errors[0].Code;
    }

    /// <summary>A static merchant-presented QRIS as printed on a sticker, its CRC computed as a payment app would.</summary>
    private static string Sticker(string acquirer, string merchant)
    {
        static string Field(string tag, string value) => tag + value.Length.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + value;
        var body = Field("00", "01") + Field("01", "11") + Field("26", Field("00", acquirer) + Field("01", "936009150000000001")) + Field("52", "5947")
            + Field("53", "360") + Field("58", "ID") + Field("59", merchant) + Field("60", "PROBOLINGGO") + "6304";
        return body + Qris.Crc16CcittFalse(body).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
    }
}
