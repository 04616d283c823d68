package io.caduceus.api.onboarding;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Invitation rows in the control plane, read and written through the client (pool or transaction) given. */
final class InvitationRepository {

  /** A new pending invitation to {@code tenant}, found again by the hash of its token. */
  Future<Invitation> insert(SqlClient client, TenantId tenant, String email, List<String> roles, UUID patientId,
                            byte[] tokenHash, UUID invitedBy, Instant expiresAt) {
    return client.preparedQuery(InvitationSql.INSERT).execute(Tuple.from(new Object[] {tenant.value(),
            UuidV7.next(), email, roles.toArray(new String[0]), patientId, Buffer.buffer(tokenHash), invitedBy,
            utc(expiresAt)}))
        .map(rows -> Rows.optional(rows, Invitation::fromRow).orElseThrow());
  }

  /** Up to {@code limit} of the tenant's invitations, newest first, after ({@code afterAt}, {@code afterId}). */
  Future<List<Invitation>> list(SqlClient client, TenantId tenant, Instant afterAt, UUID afterId, int limit) {
    return client.preparedQuery(InvitationSql.LIST).execute(Tuple.of(tenant.value(), utc(afterAt), afterId, limit))
        .map(rows -> Rows.list(rows, Invitation::fromRow));
  }

  /** Makes a pending invitation unusable; false if the tenant has no such pending invitation. */
  Future<Boolean> revoke(SqlClient client, TenantId tenant, UUID id) {
    return client.preparedQuery(InvitationSql.REVOKE).execute(Tuple.of(tenant.value(), id))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Whether the tenant has an invitation with this id, in any state. */
  Future<Boolean> exists(SqlClient client, TenantId tenant, UUID id) {
    return client.preparedQuery(InvitationSql.EXISTS).execute(Tuple.of(tenant.value(), id))
        .map(rows -> rows.size() > 0);
  }

  /** The invitation whose token hashes to {@code tokenHash}, in any state. */
  Future<Optional<Invitation>> byTokenHash(SqlClient client, byte[] tokenHash) {
    return client.preparedQuery(InvitationSql.BY_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> Rows.optional(rows, Invitation::fromRow));
  }

  /** Marks a pending, unexpired invitation accepted by {@code userId}; false if it is no longer usable. */
  Future<Boolean> accept(SqlClient client, UUID id, UUID userId) {
    return client.preparedQuery(InvitationSql.ACCEPT).execute(Tuple.of(id, userId))
        .map(rows -> rows.rowCount() == 1);
  }
}
