package io.caduceus.api.account;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Single-use account tokens in the control plane, stored as SHA-256 hashes; and the verified mark on a user's
 * address, which spending a token sets. Methods taking a client run on the caller's transaction.
 */
public final class AccountTokens {

  /** A token just issued: the clear token lives only in memory, on its way into a sealed notice. */
  public record Issued(UUID id, UUID userId, Purpose purpose, String token, Instant expiresAt) {
  }

  /** A spent token: whose it was, the address its email went to, and the account's address now. */
  public record Spent(UUID userId, String sentTo, String currentEmail) {
  }

  /** Why a token could not be spent. */
  public enum Refusal { UNKNOWN, USED, EXPIRED }

  private final ControlPlane controlPlane;

  public AccountTokens(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Issues a token for the user's address, making their earlier live tokens of this purpose unusable. */
  public Future<Issued> issue(UUID userId, String email, Purpose purpose) {
    String token = SecretTokens.next();
    UUID id = UuidV7.next();
    Instant expiresAt = Instant.now().plus(purpose.validity());
    return controlPlane.inTransaction(conn -> conn.preparedQuery(AccountSql.VOID_LIVE)
        .execute(Tuple.of(userId, purpose.wire()))
        .compose(v -> conn.preparedQuery(AccountSql.INSERT).execute(Tuple.of(id, userId, purpose.wire(),
            Buffer.buffer(SecretTokens.hash(token)), email, Timestamps.utc(expiresAt)))))
        .map(v -> new Issued(id, userId, purpose, token, expiresAt));
  }

  /** Spends a token on the caller's transaction; empty when it cannot be spent. */
  public Future<Optional<Spent>> spend(SqlClient client, String token, Purpose purpose) {
    return client.preparedQuery(AccountSql.SPEND).execute(Tuple.of(Buffer.buffer(SecretTokens.hash(token)),
            purpose.wire()))
        .map(rows -> Rows.optional(rows, row -> new Spent(row.getUUID("user_id"), row.getString("email"),
            row.getString("current_email"))));
  }

  /** Whether a token could be spent now (it exists, is unused and unexpired, and its user is active). */
  public Future<Boolean> live(String token, Purpose purpose) {
    return controlPlane.pool().preparedQuery(AccountSql.LIVE)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(token)), purpose.wire()))
        .map(rows -> rows.size() > 0);
  }

  /** Why a token that could not be spent was refused. */
  public Future<Refusal> refusal(String token, Purpose purpose) {
    return controlPlane.pool().preparedQuery(AccountSql.STATE)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(token)), purpose.wire()))
        .map(rows -> Rows.optional(rows, row -> row.getBoolean("used") ? Refusal.USED : Refusal.EXPIRED)
            .orElse(Refusal.UNKNOWN));
  }

  /** Marks the user's address verified if it is still {@code email}. */
  public Future<Void> markVerified(SqlClient client, UUID userId, String email) {
    return client.preparedQuery(AccountSql.VERIFY).execute(Tuple.of(userId, email)).mapEmpty();
  }

  /** Marks a new account's address as not yet verified (a self-service registration vouches for nothing). */
  public Future<Void> markUnverified(SqlClient client, UUID userId) {
    return client.preparedQuery(AccountSql.UNVERIFY).execute(Tuple.of(userId)).mapEmpty();
  }

  /** Whether the user's address is verified (false for a user that does not exist). */
  public Future<Boolean> verified(UUID userId) {
    return controlPlane.pool().preparedQuery(AccountSql.VERIFIED).execute(Tuple.of(userId))
        .map(rows -> Rows.optional(rows, row -> row.getBoolean("verified")).orElse(false));
  }

  /** Sets a new password hash; the address the reset went to counts as verified if it is still the account's. */
  public Future<Void> setPassword(SqlClient client, UUID userId, String passwordHash, String sentTo) {
    return client.preparedQuery(AccountSql.SET_PASSWORD).execute(Tuple.of(userId, passwordHash, sentTo)).mapEmpty();
  }
}
