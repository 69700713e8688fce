using System.Globalization;
using Marketplace.Contracts.Catalog;
using Marketplace.Notifications.Cooperatives;
using Marketplace.Notifications.Deliveries;

namespace Marketplace.IntegrationTests;

/// <summary>The words of the delivery log and of the ready message, without I/O: why a message failed, and a kiosk's week.</summary>
public sealed class DeliveryFailureTests
{
    [Theory]
    [InlineData("WhatsApp 400, code 100: (#100) Invalid parameter (recipient number)", DeliveryFailure.InvalidNumber)]
    [InlineData("WhatsApp code 131026: Message undeliverable", DeliveryFailure.NotOnWhatsApp)]
    [InlineData("WhatsApp 404, code 132001: (#132001) Template name does not exist in the translation", DeliveryFailure.TemplateRefused)]
    [InlineData("WhatsApp 400, code 132018: (#132018) There was an issue with the parameters in your template.", DeliveryFailure.TemplateRefused)]
    [InlineData("WhatsApp could not be reached: Connection refused (127.0.0.1:1)", DeliveryFailure.ProviderUnreachable)]
    [InlineData("WhatsApp did not answer in time.", DeliveryFailure.ProviderUnreachable)]
    [InlineData("WhatsApp 500, code 131000: (#131000) Something went wrong", DeliveryFailure.ProviderUnreachable)]
    [InlineData("WhatsApp 503.", DeliveryFailure.ProviderUnreachable)]
    [InlineData("WhatsApp 429, code 130429: Rate limit hit", DeliveryFailure.Throttled)]
    [InlineData("WhatsApp 401, code 190: Invalid OAuth access token.", DeliveryFailure.AccountProblem)]
    [InlineData("WhatsApp 400, code 100: Unsupported post request. Object with ID '1' does not exist", DeliveryFailure.AccountProblem)]
    [InlineData("WhatsApp 400, code 100: (#100) Invalid parameter", DeliveryFailure.Other)]
    [InlineData("WhatsApp code ?: ", DeliveryFailure.Other)]
    [InlineData("Email is not configured (Email:Host, Email:FromAddress).", DeliveryFailure.EmailUnavailable)]
    [InlineData("The email address is not usable.", DeliveryFailure.InvalidEmail)]
    [InlineData("SMTP 550: the recipient was refused.", DeliveryFailure.EmailRefused)]
    [InlineData("SMTP 554: the message was refused.", DeliveryFailure.EmailRefused)]
    [InlineData("SMTP 553: the sender was refused.", DeliveryFailure.EmailServerUnreachable)]
    [InlineData("SMTP 451: unexpected answer.", DeliveryFailure.EmailServerUnreachable)]
    [InlineData("The SMTP server could not take it: SocketException.", DeliveryFailure.EmailServerUnreachable)]
    public void A_recorded_error_reads_as_a_kind_the_admin_page_can_say_in_words(string error, string kind) =>
        Assert.Equal(kind, DeliveryFailure.Of(error));

    [Fact]
    public void The_admins_log_names_every_message_the_marketplace_sends_in_words()
    {
        // The log says what each message told; a template added without a name there would show only "Message".
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Web", "Components", "AdminPortal", "Messages.razor"));
        foreach (var template in Marketplace.Notifications.Templates.MessageTemplates.All)
        {
            Assert.Contains($"\"{template.Name}\"", page, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Marketplace.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test's folder.");
    }

    [Fact]
    public void No_error_is_no_reason() => Assert.Null(DeliveryFailure.Of(null));

    [Fact]
    public void A_kiosk_week_reads_as_a_sign_does_days_in_a_row_with_the_same_hours_joined()
    {
        OpeningHours Open(DayOfWeek day, int from, int to) => new(day, new TimeOnly(from, 0), new TimeOnly(to, 0));
        List<OpeningHours> week = [Open(DayOfWeek.Sunday, 9, 13), Open(DayOfWeek.Monday, 8, 16), Open(DayOfWeek.Tuesday, 8, 16), Open(DayOfWeek.Thursday, 8, 16), Open(DayOfWeek.Saturday, 9, 13)];
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("Senin-Selasa 08.00-16.00, Kamis 08.00-16.00, Sabtu-Minggu 09.00-13.00 WITA",
            KioskHours.Describe(week, "Asia/Makassar", at, CultureInfo.GetCultureInfo("id-ID")));
        Assert.Equal("Monday-Tuesday 08:00-16:00, Thursday 08:00-16:00, Saturday-Sunday 09:00-13:00 WIB",
            KioskHours.Describe(week, null, at, CultureInfo.GetCultureInfo("en-GB")));
    }
}
