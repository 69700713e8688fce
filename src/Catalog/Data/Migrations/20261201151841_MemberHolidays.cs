using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class MemberHolidays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "away_from",
                schema: "catalog",
                table: "members",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "away_until",
                schema: "catalog",
                table: "members",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_away_until",
                schema: "catalog",
                table: "members",
                column: "away_until",
                filter: "away_until IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_away_until",
                schema: "catalog",
                table: "members");

            migrationBuilder.DropColumn(
                name: "away_from",
                schema: "catalog",
                table: "members");

            migrationBuilder.DropColumn(
                name: "away_until",
                schema: "catalog",
                table: "members");
        }
    }
}
