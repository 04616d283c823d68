package io.caduceus.api.partner;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Partner invitations and links in the control plane; it runs on the pool or transaction it is given. */
final class PartnerRepository {

  /** An invitation as the tenant that sent it sees it (never its code). */
  record Sent(UUID id, String scope, Instant createdAt, Instant expiresAt, String answer, UUID linkId) {

    /** The contract's {@code PartnerInvitation}: its status is the answer, else expired or pending. */
    JsonObject toJson() {
      boolean expired = answer == null && expiresAt.isBefore(Instant.now());
      return new JsonObject().put("id", id.toString()).put("scope", scope)
          .put("status", answer != null ? answer : expired ? "expired" : "pending")
          .put("createdAt", createdAt.toString()).put("expiresAt", expiresAt.toString())
          .put("linkId", linkId == null ? null : linkId.toString());
    }
  }

  /** An invitation as the holder of its code finds it, with whether its sender is still active. */
  record Received(UUID id, TenantId inviter, PartnerScope scope, Instant expiresAt, boolean answered,
                  boolean inviterActive) {
  }

  /** Records an invitation from the caller's tenant, found later by the hash of its code. */
  Future<Void> invite(SqlClient client, TenantContext ctx, UUID id, PartnerScope scope, byte[] codeHash,
                      Instant expiresAt) {
    return client.preparedQuery(PartnerSql.INVITE).execute(Tuple.from(new Object[] {ctx.tenantId().value(), id,
        scope.wire(), Buffer.buffer(codeHash), ctx.userId(), Timestamps.utc(expiresAt)})).mapEmpty();
  }

  /** The tenant's invitations, newest first (the latest hundred). */
  Future<List<Sent>> invitations(SqlClient client, TenantId tenant) {
    return client.preparedQuery(PartnerSql.INVITATIONS).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, PartnerRepository::sent));
  }

  /** One of the tenant's invitations. */
  Future<Optional<Sent>> invitation(SqlClient client, TenantId tenant, UUID id) {
    return client.preparedQuery(PartnerSql.INVITATION).execute(Tuple.of(tenant.value(), id))
        .map(rows -> Rows.optional(rows, PartnerRepository::sent));
  }

  /** The invitation whose code has this hash, locked for the rest of the transaction. */
  Future<Optional<Received>> lockByCode(SqlConnection conn, byte[] codeHash) {
    return conn.preparedQuery(PartnerSql.BY_CODE).execute(Tuple.of(Buffer.buffer(codeHash)))
        .map(rows -> Rows.optional(rows, row -> new Received(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")),
            PartnerScope.fromWire(row.getString("scope")), row.getOffsetDateTime("expires_at").toInstant(),
            row.getValue("answered_at") != null, "active".equals(row.getString("status")))));
  }

  /** Records the caller's tenant's answer to an invitation not answered yet, and the link an acceptance made. */
  Future<Void> answer(SqlConnection conn, TenantContext ctx, UUID invitationId, String answer, UUID linkId) {
    return conn.preparedQuery(PartnerSql.ANSWER)
        .execute(Tuple.of(invitationId, ctx.tenantId().value(), answer, linkId)).mapEmpty();
  }

  /** Links the inviter to the caller's tenant, which serves items of {@code scope} for it. */
  Future<Void> link(SqlConnection conn, TenantContext ctx, UUID linkId, TenantId requester, PartnerScope scope) {
    return conn.preparedQuery(PartnerSql.LINK)
        .execute(Tuple.of(linkId, requester.value(), ctx.tenantId().value(), scope.wire())).mapEmpty();
  }

  /** Every link the tenant is part of, newest first. */
  Future<List<PartnerLink>> links(SqlClient client, TenantId tenant) {
    return client.preparedQuery(PartnerSql.LINKS_OF).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, PartnerLink::fromRow));
  }

  /** The link with this id if the tenant is one of its parties. */
  Future<Optional<PartnerLink>> linkOf(SqlClient client, TenantId party, UUID linkId) {
    return client.preparedQuery(PartnerSql.LINK_BY_ID).execute(Tuple.of(linkId, party.value()))
        .map(rows -> Rows.optional(rows, PartnerLink::fromRow));
  }

  /** The link with this id, whoever its parties are. */
  Future<Optional<PartnerLink>> find(SqlClient client, UUID linkId) {
    return client.preparedQuery(PartnerSql.ANY_LINK).execute(Tuple.of(linkId))
        .map(rows -> Rows.optional(rows, PartnerLink::fromRow));
  }

  /** The active link of {@code scope} from {@code requester} to {@code partner}. */
  Future<Optional<PartnerLink>> activeLink(SqlClient client, TenantId requester, TenantId partner,
                                           PartnerScope scope) {
    return client.preparedQuery(PartnerSql.ACTIVE_LINK)
        .execute(Tuple.of(requester.value(), partner.value(), scope.wire()))
        .map(rows -> Rows.optional(rows, PartnerLink::fromRow));
  }

  /** Revokes an active link on behalf of one of its parties; false if it was not active. */
  Future<Boolean> revoke(SqlClient client, TenantId party, UUID linkId) {
    return client.preparedQuery(PartnerSql.REVOKE).execute(Tuple.of(linkId, party.value()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Records the requester's residency decision on its active link; false if the link is revoked. */
  Future<Boolean> recordResidency(SqlClient client, TenantContext ctx, UUID linkId, String basis) {
    return client.preparedQuery(PartnerSql.RESIDENCY).execute(Tuple.of(linkId, ctx.tenantId().value(), basis,
        ctx.userId())).map(rows -> rows.rowCount() == 1);
  }

  private static Sent sent(Row row) {
    return new Sent(row.getUUID("id"), row.getString("scope"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant(), row.getString("answer"), row.getUUID("link_id"));
  }
}
