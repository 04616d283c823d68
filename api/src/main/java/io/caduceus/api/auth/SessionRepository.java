package io.caduceus.api.auth;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Sessions (one per login and active tenant) and their single-use refresh tokens, stored hashed. */
public final class SessionRepository {

  /** A live session, as a spent refresh token reveals it, with what its user proved. */
  public record LiveSession(UUID id, UUID userId, TenantId tenantId, Instant expiresAt, Assurance assurance) {

    static LiveSession fromRow(Row row) {
      return new LiveSession(row.getUUID("id"), row.getUUID("user_id"), new TenantId(row.getUUID("tenant_id")),
          row.getOffsetDateTime("expires_at").toInstant(),
          new Assurance(List.of(row.getArrayOfStrings("amr")), row.getOffsetDateTime("auth_time").toInstant(),
              row.getBoolean("mfa_pending")));
    }
  }

  /** A refresh token that exists, with whether it has been spent. */
  public record KnownToken(UUID sessionId, boolean used) {
  }

  /** A session that ended, and when. */
  public record Ended(UUID id, Instant at) {
  }

  /** A tenant's access version (see {@link Revocations.Standing}). */
  public record AccessVersion(TenantId tenant, long version) {
  }

  /** The sessions that ended in a span, read at {@code now} (the database's clock). */
  public record EndedSince(Instant now, List<Ended> sessions) {
  }

  private final ControlPlane controlPlane;

  public SessionRepository(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Creates a session, opened from {@code device} (may be null), and its first refresh token. */
  public Future<Void> open(SqlClient client, UUID sessionId, UUID userId, TenantId tenant, Instant expiresAt,
                           Assurance assurance, byte[] refreshHash, String device) {
    return client.preparedQuery(SessionSql.INSERT_SESSION)
        .execute(Tuple.from(new Object[] {tenant.value(), sessionId, userId, Timestamps.utc(expiresAt),
            assurance.amr().toArray(new String[0]), Timestamps.utc(assurance.authTime()), assurance.mfaPending(), device}))
        .compose(v -> addRefresh(client, sessionId, expiresAt, refreshHash));
  }

  /** Adds a refresh token to a session. */
  public Future<Void> addRefresh(SqlClient client, UUID sessionId, Instant expiresAt, byte[] refreshHash) {
    return client.preparedQuery(SessionSql.INSERT_REFRESH)
        .execute(Tuple.of(Buffer.buffer(refreshHash), sessionId, Timestamps.utc(expiresAt))).mapEmpty();
  }

  /** Spends a refresh token, returning its live session; empty when it cannot be spent. */
  public Future<Optional<LiveSession>> spend(SqlClient client, byte[] refreshHash) {
    return client.preparedQuery(SessionSql.SPEND_REFRESH).execute(Tuple.of(Buffer.buffer(refreshHash)))
        .map(rows -> Rows.optional(rows, LiveSession::fromRow));
  }

  /** A session that has neither ended nor expired. */
  public Future<Optional<LiveSession>> live(UUID sessionId) {
    return controlPlane.pool().preparedQuery(SessionSql.LIVE).execute(Tuple.of(sessionId))
        .map(rows -> Rows.optional(rows, LiveSession::fromRow));
  }

  /** Records what the user of a live session just proved; empty when the session has ended. */
  public Future<Optional<LiveSession>> prove(UUID sessionId, Assurance assurance) {
    return controlPlane.pool().preparedQuery(SessionSql.PROVE).execute(Tuple.of(sessionId,
            assurance.amr().toArray(new String[0]), Timestamps.utc(assurance.authTime()), assurance.mfaPending()))
        .map(rows -> Rows.optional(rows, LiveSession::fromRow));
  }

  /** A refresh token that could not be spent, if it exists at all. */
  public Future<Optional<KnownToken>> lookup(byte[] refreshHash) {
    return controlPlane.pool().preparedQuery(SessionSql.REFRESH_SESSION).execute(Tuple.of(Buffer.buffer(refreshHash)))
        .map(rows -> Rows.optional(rows, row -> new KnownToken(row.getUUID("session_id"),
            row.getValue("used_at") != null)));
  }

  /** Ends one session. */
  public Future<Void> end(UUID sessionId, String reason) {
    return controlPlane.pool().preparedQuery(SessionSql.REVOKE).execute(Tuple.of(sessionId, reason)).mapEmpty();
  }

  /** Ends every live session of a member in a tenant, returning their ids. */
  public Future<List<UUID>> endMember(UUID userId, TenantId tenant, String reason) {
    return controlPlane.pool().preparedQuery(SessionSql.REVOKE_MEMBER).execute(Tuple.of(userId, tenant.value(), reason))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")));
  }

  /** Ends every live session in a tenant, returning their ids. */
  public Future<List<UUID>> endTenant(TenantId tenant, String reason) {
    return controlPlane.pool().preparedQuery(SessionSql.REVOKE_TENANT).execute(Tuple.of(tenant.value(), reason))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")));
  }

  /** Whether the session has ended and whether its tenant is other than active, from the control plane. */
  public Future<Revocations.Standing> standing(UUID sessionId, TenantId tenant) {
    return controlPlane.pool().preparedQuery(SessionSql.STANDING).execute(Tuple.of(sessionId, tenant.value()))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Revocations.Standing(row.getBoolean("session_ended"),
              !"active".equals(row.getString("tenant_status")), row.getLong("access_version"));
        });
  }

  /** The tenants whose access version changed after {@code since} (all that have one if null). */
  public Future<List<AccessVersion>> accessVersionsSince(Instant since) {
    return controlPlane.pool().preparedQuery(SessionSql.ACCESS_VERSIONS_SINCE)
        .execute(Tuple.of(since == null ? null : Timestamps.utc(since)))
        .map(rows -> Rows.list(rows, row -> new AccessVersion(new TenantId(row.getUUID("tenant_id")),
            row.getLong("version"))));
  }

  /** The sessions that ended after {@code since}, but none longer ago than {@code window}; all of them if null. */
  public Future<EndedSince> endedSince(Instant since, Duration window) {
    return controlPlane.pool().preparedQuery(SessionSql.ENDED_SINCE)
        .execute(Tuple.of(since == null ? null : Timestamps.utc(since), (double) window.toSeconds()))
        .map(rows -> {
          Instant now = null;
          List<Ended> ended = new ArrayList<>();
          for (Row row : rows) {
            now = row.getOffsetDateTime("now").toInstant();
            if (row.getUUID("id") != null) {
              ended.add(new Ended(row.getUUID("id"), row.getOffsetDateTime("revoked_at").toInstant()));
            }
          }
          return new EndedSince(now, ended);
        });
  }
}
