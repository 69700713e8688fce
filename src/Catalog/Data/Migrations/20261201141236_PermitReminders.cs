using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <summary>The reminders sent for permits running out (one row each, its key makes it once), and the sweep's indexes.</summary>
    public partial class PermitReminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "permit_reminders",
                schema: "catalog",
                columns: table => new
                {
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    permit = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: false),
                    days_left = table.Column<int>(type: "integer", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_permit_reminders", x => new { x.product_id, x.permit, x.valid_until, x.days_left });
                    table.ForeignKey(
                        name: "fk_permit_reminders_products_product_id",
                        column: x => x.product_id,
                        principalSchema: "catalog",
                        principalTable: "products",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_products_halal_valid_until",
                schema: "catalog",
                table: "products",
                column: "halal_valid_until",
                filter: "status = 'Published'");

            migrationBuilder.CreateIndex(
                name: "ix_products_pirt_valid_until",
                schema: "catalog",
                table: "products",
                column: "pirt_valid_until",
                filter: "status = 'Published'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "permit_reminders",
                schema: "catalog");

            migrationBuilder.DropIndex(
                name: "ix_products_halal_valid_until",
                schema: "catalog",
                table: "products");

            migrationBuilder.DropIndex(
                name: "ix_products_pirt_valid_until",
                schema: "catalog",
                table: "products");
        }
    }
}
