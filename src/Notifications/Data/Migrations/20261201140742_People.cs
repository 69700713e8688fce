using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class People : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "people",
                schema: "notifications",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    whats_app = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    member_cooperative_id = table.Column<Guid>(type: "uuid", nullable: true),
                    administered_cooperatives = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    preferred_channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    contact_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_people", x => x.user_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_people_administered_cooperatives",
                schema: "notifications",
                table: "people",
                column: "administered_cooperatives")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_people_member_id",
                schema: "notifications",
                table: "people",
                column: "member_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "people",
                schema: "notifications");
        }
    }
}
