package io.caduceus.api.auth.mfa;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' TOTP authenticators and recovery codes, MFA tickets, and tenants' MFA policies and session lengths (their
 * "security" configuration), in the control plane.
 */
public final class MfaRepository {

  /** A user's authenticator: its sealed secret, whether it is confirmed, and the last step accepted. */
  public record StoredTotp(byte[] sealed, boolean confirmed, long lastStep) {
  }

  /** The user a live MFA ticket was issued to, and the tenant their login asked for. */
  public record Ticket(UUID userId, Optional<TenantId> tenant) {
  }

  /** The namespace whose tenant level holds the MFA policy ({@code mfaRequiredFor}, {@code mfaRoles}). */
  static final String SECURITY = "security";

  private final ControlPlane controlPlane;
  private final ConfigStore config;

  public MfaRepository(ControlPlane controlPlane, ConfigStore config) {
    this.controlPlane = controlPlane;
    this.config = config;
  }

  /** Stores a new unconfirmed secret; false when the user already has a confirmed authenticator. */
  public Future<Boolean> putPending(UUID userId, byte[] sealed) {
    return controlPlane.pool().preparedQuery(MfaSql.PUT_PENDING).execute(Tuple.of(userId, Buffer.buffer(sealed)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The user's authenticator, confirmed or not. */
  public Future<Optional<StoredTotp>> find(UUID userId) {
    return controlPlane.pool().preparedQuery(MfaSql.FIND).execute(Tuple.of(userId))
        .map(rows -> Rows.optional(rows, row -> new StoredTotp(row.getBuffer("secret_sealed").getBytes(),
            row.getValue("confirmed_at") != null, row.getLong("last_step"))));
  }

  /** Whether the user has a confirmed authenticator. */
  public Future<Boolean> confirmed(UUID userId) {
    return controlPlane.pool().preparedQuery(MfaSql.CONFIRMED).execute(Tuple.of(userId))
        .map(rows -> rows.iterator().next().getBoolean("confirmed"));
  }

  /**
   * Accepts a code of {@code step} once, confirming a pending authenticator when {@code confirming}; false when the
   * step (or a later one) was already accepted.
   */
  public Future<Boolean> acceptStep(UUID userId, long step, boolean confirming) {
    return controlPlane.pool().preparedQuery(MfaSql.ACCEPT_STEP).execute(Tuple.of(userId, step, confirming))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Replaces the user's recovery codes with these hashes. */
  public Future<Void> replaceRecoveryCodes(UUID userId, List<byte[]> hashes) {
    return controlPlane.inTransaction(conn -> conn.preparedQuery(MfaSql.DELETE_CODES).execute(Tuple.of(userId))
        .compose(v -> {
          List<Tuple> batch = new ArrayList<>();
          hashes.forEach(h -> batch.add(Tuple.of(userId, Buffer.buffer(h))));
          return conn.preparedQuery(MfaSql.INSERT_CODE).executeBatch(batch);
        }).mapEmpty());
  }

  /** Spends one recovery code of a user with a confirmed authenticator; false when it is unknown or used. */
  public Future<Boolean> useRecoveryCode(UUID userId, byte[] hash) {
    return controlPlane.pool().preparedQuery(MfaSql.USE_CODE).execute(Tuple.of(userId, Buffer.buffer(hash)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** How many unused recovery codes the user has. */
  public Future<Integer> recoveryCodesLeft(UUID userId) {
    return controlPlane.pool().preparedQuery(MfaSql.CODES_LEFT).execute(Tuple.of(userId))
        .map(rows -> rows.iterator().next().getInteger("left"));
  }

  /** Removes the user's authenticator and recovery codes. */
  public Future<Void> remove(UUID userId) {
    return controlPlane.inTransaction(conn -> conn.preparedQuery(MfaSql.DELETE_CODES).execute(Tuple.of(userId))
        .compose(v -> conn.preparedQuery(MfaSql.DELETE_TOTP).execute(Tuple.of(userId))).mapEmpty());
  }

  /** Stores a login's MFA ticket. */
  public Future<Void> issueTicket(byte[] hash, UUID userId, Optional<TenantId> tenant, Instant expiresAt) {
    return controlPlane.pool().preparedQuery(MfaSql.INSERT_TICKET).execute(Tuple.of(Buffer.buffer(hash), userId,
        tenant.map(TenantId::value).orElse(null), Timestamps.utc(expiresAt))).mapEmpty();
  }

  /** A live, unused ticket. */
  public Future<Optional<Ticket>> ticket(byte[] hash) {
    return controlPlane.pool().preparedQuery(MfaSql.FIND_TICKET).execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> Rows.optional(rows, row -> new Ticket(row.getUUID("user_id"),
            Optional.ofNullable(row.getUUID("tenant_id")).map(TenantId::new))));
  }

  /** Spends a ticket; false when it was spent meanwhile or has expired. */
  public Future<Boolean> spendTicket(byte[] hash) {
    return controlPlane.pool().preparedQuery(MfaSql.SPEND_TICKET).execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Deletes tickets long past their expiry. */
  public Future<Void> purgeTickets() {
    return controlPlane.pool().query(MfaSql.PURGE_TICKETS).execute().mapEmpty();
  }

  /**
   * A tenant's MFA policy: the "security" configuration in effect for it (its own, else its region's, else the
   * platform's), {@link MfaPolicy#NONE} when no level sets one.
   */
  public Future<MfaPolicy> policy(TenantId tenant) {
    return config.tenantKeys(SECURITY, tenant).map(MfaPolicy::fromSettings);
  }

  /**
   * How long a tenant's sessions last: the "security" configuration's {@code sessionMinutes} in effect for it (its
   * own, else its region's, else the platform's), empty when no level sets one.
   */
  public Future<Optional<Duration>> sessionLength(TenantId tenant) {
    return config.tenantKeys(SECURITY, tenant)
        .map(keys -> Optional.ofNullable(keys.getInteger("sessionMinutes")).map(Duration::ofMinutes));
  }

  /** Sets a tenant's MFA policy: a new version of its "security" configuration, by {@code by}. */
  public Future<MfaPolicy> putPolicy(TenantId tenant, MfaPolicy policy, UUID by) {
    JsonObject changes = new JsonObject().put("mfaRequiredFor", policy.requiredFor())
        .put("mfaRoles", new JsonArray(policy.roles()));
    return controlPlane.inTransaction(conn -> config.merge(conn, SECURITY, ConfigScope.tenant(tenant), changes, by))
        .map(entry -> MfaPolicy.fromSettings(entry.settings()));
  }
}
