using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxIndexesForTheClaim : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_pending",
                schema: "notifications",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_pending_in_order",
                schema: "notifications",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_in_order",
                schema: "notifications",
                table: "outbox_messages",
                column: "sequence",
                filter: "dispatched_at IS NULL AND next_attempt_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_pending_in_order",
                schema: "notifications",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending",
                schema: "notifications",
                table: "outbox_messages",
                columns: new[] { "next_attempt_at", "sequence" },
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_in_order",
                schema: "notifications",
                table: "outbox_messages",
                column: "sequence",
                filter: "dispatched_at IS NULL");
        }
    }
}
