package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.SmtpAccount;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's own provider accounts, sealed under the tenant's data key (AES-256-GCM, bound to the tenant and the
 * channel). Only a summary (account sid, sender, project id, host) is ever read back out through the API.
 */
public final class ProviderCredentials {

  private static final String UPSERT = """
      INSERT INTO provider_credential (tenant_id, channel, sealed, summary, updated_at)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, now())
      ON CONFLICT (tenant_id, channel) DO UPDATE SET sealed = $2, summary = $3, updated_at = now()""";
  private static final String FIND = "SELECT sealed FROM provider_credential WHERE channel = $1";
  private static final String DELETE = "DELETE FROM provider_credential WHERE channel = $1";
  private static final String SUMMARIES = "SELECT channel, summary, updated_at FROM provider_credential";

  /** What the API shows of a tenant's own account for a channel: its summary, and when it was last set. */
  public record Summary(Channel channel, JsonObject summary, Instant updatedAt) {
  }

  private final TenantKeyring keyring;

  public ProviderCredentials(TenantKeyring keyring) {
    this.keyring = keyring;
  }

  /** Seals and stores {@code account} (an {@link FcmAccount}, {@link TwilioAccount} or {@link SmtpAccount}). */
  public Future<JsonObject> put(SqlConnection conn, TenantContext ctx, Channel channel, Record account) {
    JsonObject secret = toJson(account);
    JsonObject summary = summary(channel, secret);
    return keyring.keys(ctx.tenantId())
        .compose(keys -> conn.preparedQuery(UPSERT).execute(Tuple.of(channel.wire(),
            Buffer.buffer(keys.seal(binding(channel), secret.encode())), summary)))
        .map(summary);
  }

  /** Removes the tenant's account for {@code channel}; true if there was one. */
  public Future<Boolean> remove(SqlConnection conn, Channel channel) {
    return conn.preparedQuery(DELETE).execute(Tuple.of(channel.wire())).map(rows -> rows.rowCount() > 0);
  }

  /** The summaries of the tenant's own accounts, one per channel it set. */
  public Future<List<Summary>> summaries(SqlConnection conn) {
    return conn.query(SUMMARIES).execute().map(rows -> {
      List<Summary> all = new ArrayList<>();
      rows.forEach(row -> all.add(new Summary(Channel.fromWire(row.getString("channel")), row.getJsonObject("summary"),
          row.getOffsetDateTime("updated_at").toInstant())));
      return all;
    });
  }

  /** The tenant's opened account for {@code channel}, if it has one. */
  public Future<Optional<Record>> find(SqlConnection conn, TenantContext ctx, Channel channel) {
    return conn.preparedQuery(FIND).execute(Tuple.of(channel.wire())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return keyring.keys(ctx.tenantId()).map(keys -> Optional.of(open(channel,
          new JsonObject(keys.open(binding(channel), row.getBuffer("sealed").getBytes())))));
    });
  }

  private static Record open(Channel channel, JsonObject json) {
    return switch (channel) {
      case PUSH -> new FcmAccount(json.getString("projectId"), json.getString("serviceAccountJson"));
      case SMS -> new TwilioAccount(json.getString("accountSid"), json.getString("authToken"), json.getString("from"));
      case EMAIL -> new SmtpAccount(json.getString("host"), json.getInteger("port"), json.getString("username"),
          json.getString("password"), json.getString("from"), json.getBoolean("startTls", true));
    };
  }

  private static JsonObject toJson(Record account) {
    if (account instanceof FcmAccount a) {
      return new JsonObject().put("projectId", a.projectId()).put("serviceAccountJson", a.serviceAccountJson());
    }
    if (account instanceof TwilioAccount a) {
      return new JsonObject().put("accountSid", a.accountSid()).put("authToken", a.authToken()).put("from", a.from());
    }
    if (account instanceof SmtpAccount a) {
      return new JsonObject().put("host", a.host()).put("port", a.port()).put("username", a.username())
          .put("password", a.password()).put("from", a.from()).put("startTls", a.startTls());
    }
    throw new IllegalArgumentException("not a provider account");
  }

  private static JsonObject summary(Channel channel, JsonObject secret) {
    return switch (channel) {
      case PUSH -> new JsonObject().put("projectId", secret.getString("projectId"));
      case SMS -> new JsonObject().put("accountSid", secret.getString("accountSid")).put("from", secret.getString("from"));
      case EMAIL -> new JsonObject().put("host", secret.getString("host")).put("port", secret.getInteger("port"))
          .put("from", secret.getString("from"));
    };
  }

  private static String binding(Channel channel) {
    return "provider_credential/" + channel.wire();
  }
}
