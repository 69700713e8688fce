using Marketplace.Catalog.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Catalog.Data.Migrations
{
    /// <summary>
    /// Settlement began to keep its own list of members (whose cooperative may confirm whose bank account) from
    /// <c>MemberUpdated</c>, which nothing consumed before: every member's latest state is published once more through
    /// the outbox, in the same shape and under the same ordering key as a change would. Its consumer keeps the newest
    /// revision, so a member who changes meanwhile is not set back.
    /// </summary>
    [DbContext(typeof(CatalogDbContext))]
    [Migration("20261201073000_RepublishMembers")]
    public partial class RepublishMembers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO catalog.outbox_messages
                    (message_id, message_type, body, ordering_key, destination_address, redelivery_count, created_at, next_attempt_at, attempts)
                SELECT gen_random_uuid(),
                       'Marketplace.Contracts.Catalog.MemberUpdated, Marketplace.Contracts',
                       jsonb_build_object(
                           'memberId', m.id,
                           'cooperativeId', m.cooperative_id,
                           'displayName', m.display_name,
                           'businessName', coalesce(m.business_name, ''),
                           'status', lower(m.status),
                           'revision', m.revision,
                           'updatedAt', now()),
                       m.id::text, NULL, 0, now(), now(), 0
                FROM catalog.members m
                ORDER BY m.joined_at;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Messages already published cannot be taken back; nothing to undo.
        }
    }
}
