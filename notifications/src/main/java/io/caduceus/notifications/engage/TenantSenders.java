package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.Sender;
import io.caduceus.notifications.channel.Senders;
import io.caduceus.notifications.channel.SmtpAccount;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which provider account a tenant's messages go through on each channel: the tenant's own if it stored one, else
 * the platform's, else the sandbox. A tenant's accounts are read at most every {@code refresh}, and at once after
 * a change made on this node.
 */
public final class TenantSenders {

  /** A tenant's account for a channel, or its load in flight: concurrent sends share one read. */
  private record Cached(Future<Optional<Record>> account, long loadedAt) {
  }

  private final TenantDb db;
  private final ProviderCredentials credentials;
  private final Senders senders;
  private final PlatformAccounts platform;
  private final long refreshNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TenantSenders(TenantDb db, ProviderCredentials credentials, Senders senders, PlatformAccounts platform,
                       Duration refresh) {
    this.db = db;
    this.credentials = credentials;
    this.senders = senders;
    this.platform = platform;
    this.refreshNanos = refresh.toNanos();
  }

  /** The sender for the tenant's messages on {@code channel}. */
  public Future<Sender> sender(TenantContext ctx, Channel channel) {
    return account(ctx, channel).map(own -> {
      Record account = own.orElseGet(() -> platformAccount(channel));
      if (account == null) {
        return new SandboxSender(db, ctx, channel);
      }
      return switch (channel) {
        case PUSH -> senders.push((FcmAccount) account);
        case SMS -> senders.sms((TwilioAccount) account);
        case EMAIL -> senders.email((SmtpAccount) account);
      };
    });
  }

  /** The Twilio account the tenant's SMS go through, to verify its webhooks; empty in the sandbox. */
  public Future<Optional<TwilioAccount>> twilio(TenantContext ctx) {
    return account(ctx, Channel.SMS).map(own -> own.map(TwilioAccount.class::cast)
        .or(() -> Optional.ofNullable(platform.sms())));
  }

  /** Drops what is cached for a tenant after its accounts changed. */
  public void forget(TenantId tenant) {
    for (Channel channel : Channel.values()) {
      cache.remove(key(tenant, channel));
    }
  }

  private Future<Optional<Record>> account(TenantContext ctx, Channel channel) {
    String key = key(ctx.tenantId(), channel);
    long now = System.nanoTime();
    Cached cached = cache.compute(key, (k, current) -> current != null && now - current.loadedAt < refreshNanos
        && !current.account.failed() ? current : new Cached(db.inTenant(ctx, conn -> credentials.find(conn, ctx, channel)),
        now));
    return cached.account;
  }

  private Record platformAccount(Channel channel) {
    return switch (channel) {
      case PUSH -> platform.push();
      case SMS -> platform.sms();
      case EMAIL -> platform.email();
    };
  }

  private static String key(TenantId tenant, Channel channel) {
    return tenant + "|" + channel.wire();
  }
}
