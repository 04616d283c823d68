package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.Rendered;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The first half of a dispatch cycle for one tenant, inside one transaction: claim due and orphaned messages with
 * {@code FOR UPDATE SKIP LOCKED}, apply the delivery rules, write each decision, and mark every send 'sending'
 * with a fresh attempt id. When the transaction commits, the sends it returns may go to the providers. Messages of
 * the topics the tenant's {@link TopicHolds} hold now are not claimed at all.
 */
final class Planner {

  private final Recipients recipients;
  private final TenantKeyring keyring;
  private final Composer composer;
  private final DeliveryPolicy policy;
  private final DispatchOptions options;
  private final TopicHolds holds;

  Planner(Recipients recipients, TenantKeyring keyring, Composer composer, DeliveryPolicy policy,
          DispatchOptions options, TopicHolds holds) {
    this.holds = holds;
    this.recipients = recipients;
    this.keyring = keyring;
    this.composer = composer;
    this.policy = policy;
    this.options = options;
  }

  /** Claims up to a batch of the tenant's messages and returns the sends to make. */
  Future<List<Attempt>> claim(SqlConnection conn, TenantContext ctx, Instant now) {
    int batch = options.perTenantBatch();
    Set<Topic> holding = holds.held(ctx.tenantId().value());
    String[] held = holding.stream().map(Topic::wire).toArray(String[]::new);
    return conn.preparedQuery(MessageSql.CLAIM_ORPHANS).execute(Tuple.of(Timestamps.utc(now), batch, held))
        .compose(orphans -> (orphans.size() >= batch ? Future.succeededFuture(List.<Message>of())
            : claimDue(conn, holding, now, batch - orphans.size()))
            .map(due -> {
              List<Message> all = new ArrayList<>(messages(orphans));
              all.addAll(due);
              return all;
            }))
        .compose(messages -> messages.isEmpty() ? Future.succeededFuture(List.of())
            : Circumstances.gather(conn, ctx, recipients, keyring, messages, now)
            .compose(about -> plan(conn, ctx, messages, about, now)));
  }

  /**
   * Due messages, up to {@code limit}: of every topic when none is held; else of the topics not held only, read
   * topic by topic, so that no held message is read however many wait.
   */
  private static Future<List<Message>> claimDue(SqlConnection conn, Set<Topic> held, Instant now, int limit) {
    if (held.isEmpty()) {
      return conn.preparedQuery(MessageSql.CLAIM_DUE).execute(Tuple.of(Timestamps.utc(now), limit))
          .map(Planner::messages);
    }
    String[] open = Arrays.stream(Topic.values()).filter(t -> !held.contains(t)).map(Topic::wire)
        .toArray(String[]::new);
    return conn.preparedQuery(MessageSql.CLAIM_DUE_AROUND_HOLDS).execute(Tuple.of(Timestamps.utc(now), limit, open))
        .map(Planner::messages);
  }

  private Future<List<Attempt>> plan(SqlConnection conn, TenantContext ctx, List<Message> messages,
                                     Circumstances about, Instant now) {
    List<Attempt> attempts = new ArrayList<>();
    Writes writes = new Writes(now);
    for (Message m : messages) {
      if (about.linkLost(m)) {
        writes.close(m, MessageStatus.FAILED, "its one-time link can no longer be opened");
        continue;
      }
      // An interrupted send goes out again in the words it had; words stored without their sealed link or reason
      // are composed again instead.
      if (m.orphaned() && m.content() != null && m.channel() != null && !SealedLink.carried(m)
          && !SealedReason.carried(m)) {
        Channel channel = Channel.fromWire(m.channel());
        List<String> addresses = about.addresses(m, channel);
        if (!addresses.isEmpty()) {
          attempts.add(mark(writes, ctx, m, channel, Rendered.fromJson(m.content()), addresses, m.critical(),
              true, about, now));
          continue;
        }
      }
      Decision decision = policy.decide(m, about.of(m, now), about.settings(), now);
      if (decision instanceof Decision.Send send) {
        Rendered words = composer.compose(m.topic(), send.channel(), send.locale(), about.templates(),
            about.values(m, send), about.settings(), about.campaignWording(m, send.channel()));
        attempts.add(mark(writes, ctx, m, send.channel(), words, about.addresses(m, send.channel()),
            send.critical(), m.retried(send.channel()), about, now));
        if (!send.critical()) {
          about.countSend(m.recipientId(), now);
        }
      } else if (decision instanceof Decision.Defer defer) {
        writes.defer(m, defer.until(), defer.reason());
      } else if (decision instanceof Decision.Suppress s) {
        writes.close(m, MessageStatus.SUPPRESSED, s.reason());
      } else if (decision instanceof Decision.Expire e) {
        writes.close(m, MessageStatus.EXPIRED, e.reason());
      } else if (decision instanceof Decision.Fail f) {
        writes.close(m, MessageStatus.FAILED, f.reason());
      }
    }
    return writes.apply(conn).map(attempts);
  }

  private Attempt mark(Writes writes, TenantContext ctx, Message m, Channel channel, Rendered words,
                       List<String> addresses, boolean critical, boolean reconcile, Circumstances about, Instant now) {
    Attempt attempt = new Attempt(m, channel, words, addresses, UuidV7.next(),
        reconcile ? m.sendingSince() : now, reconcile, reconcile ? about.claimedIds() : Set.of(),
        channel == Channel.SMS && options.statusCallbackBase() != null
            ? options.statusCallbackBase() + "/" + ctx.tenantId() + "/status" : null);
    writes.sending(attempt, about.toStore(m, words), now.plus(options.lease()), AddressHint.of(channel, addresses),
        critical);
    return attempt;
  }

  private static List<Message> messages(RowSet<Row> rows) {
    List<Message> list = new ArrayList<>();
    rows.forEach(row -> list.add(Message.fromRow(row)));
    return list;
  }
}
