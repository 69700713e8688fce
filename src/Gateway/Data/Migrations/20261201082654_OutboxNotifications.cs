using Marketplace.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Gateway.Data.Migrations
{
    /// <summary>Every replica's dispatcher is woken by PostgreSQL when any replica commits outbox messages.</summary>
    public partial class OutboxNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddOutboxNotifications(GatewayDbContext.Schema);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifications(GatewayDbContext.Schema);
        }
    }
}
