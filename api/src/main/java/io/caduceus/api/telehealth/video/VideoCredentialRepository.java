package io.caduceus.api.telehealth.video;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;

/**
 * The tenant's Twilio Video account, sealed under the tenant's data key (AES-256-GCM, bound to this table) by the
 * same keyring as the other provider credentials; only its summary (the sids) is ever read back out.
 */
final class VideoCredentialRepository {

  /** What sealing binds the ciphertext to, so it cannot be replayed as another secret of the tenant. */
  private static final String BINDING = "telehealth_video_credential/twilio";

  private final TenantKeyring keyring;

  VideoCredentialRepository(TenantKeyring keyring) {
    this.keyring = keyring;
  }

  /** Seals and stores the account; answers its summary. */
  Future<VideoCredentialSummary> put(SqlConnection conn, TenantContext ctx, TwilioVideoAccount account) {
    JsonObject secret = new JsonObject().put("accountSid", account.accountSid()).put("apiKeySid", account.apiKeySid())
        .put("apiKeySecret", account.apiKeySecret()).put("authToken", account.authToken());
    JsonObject summary = new JsonObject().put("provider", "twilio").put("accountSid", account.accountSid())
        .put("apiKeySid", account.apiKeySid());
    return keyring.keys(ctx.tenantId())
        .compose(keys -> conn.preparedQuery(VideoSql.UPSERT_CREDENTIAL).execute(Tuple.of(
            Buffer.buffer(keys.seal(BINDING, secret.encode())), summary, ctx.userId())))
        .map(rows -> VideoCredentialSummary.fromRow(rows.iterator().next()));
  }

  /** The summary of the tenant's account, if it set one. */
  Future<Optional<VideoCredentialSummary>> summary(SqlConnection conn) {
    return conn.query(VideoSql.CREDENTIAL_SUMMARY).execute().map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(VideoCredentialSummary.fromRow(rows.iterator().next())));
  }

  /** Removes the tenant's account; true if there was one. */
  Future<Boolean> remove(SqlConnection conn) {
    return conn.query(VideoSql.DELETE_CREDENTIAL).execute().map(rows -> rows.rowCount() > 0);
  }

  /** The tenant's opened account, if it set one. */
  Future<Optional<TwilioVideoAccount>> find(SqlConnection conn, TenantContext ctx) {
    return conn.query(VideoSql.FIND_CREDENTIAL).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return keyring.keys(ctx.tenantId()).map(keys -> {
        JsonObject json = new JsonObject(keys.open(BINDING, row.getBuffer("sealed").getBytes()));
        return Optional.of(new TwilioVideoAccount(json.getString("accountSid"), json.getString("apiKeySid"),
            json.getString("apiKeySecret"), json.getString("authToken")));
      });
    });
  }
}
