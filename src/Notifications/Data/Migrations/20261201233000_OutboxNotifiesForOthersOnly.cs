using Marketplace.Notifications;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Notifications.Data.Migrations
{
    /// <summary>
    /// The outbox trigger no longer notifies for commits of a replica that dispatches the outbox itself (its connections
    /// set <see cref="OutboxNotifications.DispatchedHereSetting"/>). No model change. Down keeps the new function: a
    /// connection that does not set the setting is notified for as before.
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261201233000_OutboxNotifiesForOthersOnly")]
    public class OutboxNotifiesForOthersOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddOutboxNotifications(NotificationsDbContext.Schema);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
