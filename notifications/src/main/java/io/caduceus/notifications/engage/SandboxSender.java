package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.Outgoing;
import io.caduceus.notifications.channel.Receipt;
import io.caduceus.notifications.channel.Sender;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The provider of a channel with no account configured: it sends nothing, and keeps a provider's own ledger in the
 * tenant's database ({@code sandbox_attempt}), so the demo works offline and shows what would have gone out. Like
 * a real provider it records a send when it accepts it, in its own commit, before the dispatcher records the
 * outcome: a dispatcher that dies in between leaves the send in the ledger, and its resend shows as a second send
 * of the message. It can be asked only what the real provider of its channel can be asked: an SMS is looked up
 * (as at Twilio), push and email are not (FCM and SMTP keep no list), so the ledger shows the repeats the design
 * allows and no others.
 */
final class SandboxSender implements Sender {

  static final String PROVIDER = "sandbox";
  private static final String SEND = """
      INSERT INTO sandbox_attempt (tenant_id, message_id, id, kind, channel, provider_key, outcome, at)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, 'send', $3, $4, 'accepted', clock_timestamp())""";
  /** The sandbox knows each send's message, so unlike Twilio it needs no time window, body or claimed ids. */
  private static final String FIND = """
      SELECT id
      FROM sandbox_attempt
      WHERE message_id = $1 AND kind = 'send' AND channel = $2
      ORDER BY id
      LIMIT 1""";
  private static final String LOOKED_UP = """
      INSERT INTO sandbox_attempt
        (tenant_id, message_id, id, kind, channel, provider_key, outcome, found_id, at)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, 'look_up', $3, $4, $5, $6, clock_timestamp())""";

  private final TenantDb db;
  private final TenantContext ctx;
  private final Channel channel;

  SandboxSender(TenantDb db, TenantContext ctx, Channel channel) {
    this.db = db;
    this.ctx = ctx;
    this.channel = channel;
  }

  @Override
  public String account() {
    return PROVIDER;
  }

  @Override
  public Future<Receipt> send(Outgoing message) {
    UUID id = UuidV7.next();
    return db.once(ctx, conn -> conn.preparedQuery(SEND).execute(Tuple.of(message.messageId(), id, channel.wire(),
            message.key())))
        .map(done -> new Receipt(PROVIDER, providerId(id)));
  }

  /** Only an SMS: Twilio lists what it sent, FCM and SMTP do not, and the sandbox answers as they would. */
  @Override
  public boolean canLookUp() {
    return channel == Channel.SMS;
  }

  @Override
  public Future<Optional<Receipt>> lookUp(Outgoing message, Instant since, Set<String> claimed) {
    if (!canLookUp()) {
      return Future.succeededFuture(Optional.empty());
    }
    return db.inTenant(ctx, conn -> conn.preparedQuery(FIND).execute(Tuple.of(message.messageId(), channel.wire()))
        .compose(rows -> {
          Optional<UUID> found = rows.size() == 0 ? Optional.empty()
              : Optional.of(rows.iterator().next().getUUID("id"));
          return conn.preparedQuery(LOOKED_UP).execute(Tuple.of(message.messageId(), UuidV7.next(), channel.wire(),
                  message.key(), found.isPresent() ? "found" : "not_found", found.orElse(null)))
              .map(done -> found.map(id -> new Receipt(PROVIDER, providerId(id))));
        }));
  }

  private static String providerId(UUID send) {
    return PROVIDER + "-" + send;
  }
}
