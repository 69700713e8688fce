using Marketplace.Gateway.Data;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Gateway.Data.Migrations
{
    /// <summary>
    /// The outbox trigger no longer notifies for commits of a replica that dispatches the outbox itself (its connections
    /// set <see cref="OutboxNotifications.DispatchedHereSetting"/>). No model change. Down keeps the new function: a
    /// connection that does not set the setting is notified for as before.
    /// </summary>
    [DbContext(typeof(GatewayDbContext))]
    [Migration("20261201233000_OutboxNotifiesForOthersOnly")]
    public class OutboxNotifiesForOthersOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddOutboxNotifications(GatewayDbContext.Schema);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
