using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Marketplace.Orders.Settlement.Data.Migrations
{
    /// <inheritdoc />
    public partial class Settlement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "settlement");

            migrationBuilder.CreateTable(
                name: "cooperative_settings",
                schema: "settlement",
                columns: table => new
                {
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    holding_days = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cooperative_settings", x => x.cooperative_id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "settlement",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "journal_entries",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    memo = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "settlement",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    ordering_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    destination_address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    redelivery_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "payout_accounts",
                schema: "settlement",
                columns: table => new
                {
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    account_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    account_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_accounts", x => x.member_id);
                });

            migrationBuilder.CreateTable(
                name: "payout_batches",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cut_off = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    minimum_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    prepared_by = table.Column<Guid>(type: "uuid", nullable: false),
                    prepared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<Guid>(type: "uuid", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sale_lines",
                schema: "settlement",
                columns: table => new
                {
                    order_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    channel = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    gross_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    fee_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    share_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    refunded_quantity = table.Column<int>(type: "integer", nullable: false),
                    refunded_fee_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    refunded_share_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    sold_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fulfilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    available_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sale_lines", x => x.order_line_id);
                });

            migrationBuilder.CreateTable(
                name: "journal_lines",
                schema: "settlement",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cooperative_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: true),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_journal_lines_journal_entries_entry_id",
                        column: x => x.entry_id,
                        principalSchema: "settlement",
                        principalTable: "journal_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payout_lines",
                schema: "settlement",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    member_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    savings_rupiah = table.Column<long>(type: "bigint", nullable: false),
                    method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    bank = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    account_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    account_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_lines", x => new { x.batch_id, x.member_id });
                    table.ForeignKey(
                        name: "fk_payout_lines_payout_batches_batch_id",
                        column: x => x.batch_id,
                        principalSchema: "settlement",
                        principalTable: "payout_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_source",
                schema: "settlement",
                table: "journal_entries",
                column: "source",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_journal_lines_cooperative_id_account_member_id",
                schema: "settlement",
                table: "journal_lines",
                columns: new[] { "cooperative_id", "account", "member_id" });

            migrationBuilder.CreateIndex(
                name: "ix_journal_lines_entry_id",
                schema: "settlement",
                table: "journal_lines",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "settlement",
                table: "outbox_messages",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending",
                schema: "settlement",
                table: "outbox_messages",
                columns: new[] { "next_attempt_at", "sequence" },
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_by_key",
                schema: "settlement",
                table: "outbox_messages",
                columns: new[] { "ordering_key", "sequence" },
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_payout_batches_cooperative_id",
                schema: "settlement",
                table: "payout_batches",
                column: "cooperative_id");

            migrationBuilder.CreateIndex(
                name: "ix_sale_lines_available_from",
                schema: "settlement",
                table: "sale_lines",
                column: "available_from",
                filter: "released_at IS NULL AND available_from IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sale_lines_cooperative_id_member_id",
                schema: "settlement",
                table: "sale_lines",
                columns: new[] { "cooperative_id", "member_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sale_lines_order_id",
                schema: "settlement",
                table: "sale_lines",
                column: "order_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cooperative_settings",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "journal_lines",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "payout_accounts",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "payout_lines",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "sale_lines",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "journal_entries",
                schema: "settlement");

            migrationBuilder.DropTable(
                name: "payout_batches",
                schema: "settlement");
        }
    }
}
