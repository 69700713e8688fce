using System;
using Marketplace.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Gateway.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "gateway",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_role = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: true),
                    action = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    subject_type = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    subject_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, defaultValue: ""),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, defaultValue: "")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_cooperative_id_sequence",
                schema: "gateway",
                table: "audit_entries",
                columns: new[] { "cooperative_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_sequence",
                schema: "gateway",
                table: "audit_entries",
                column: "sequence",
                unique: true);

            // The chain and the refusal of updates and deletes live in the database, so no writer can skip them.
            migrationBuilder.Sql(AuditTrailSql.Install("gateway"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AuditTrailSql.Uninstall("gateway"));
            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "gateway");
        }
    }
}
