package io.caduceus.api.engagement;

import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.notifications.channel.TwilioWebhookSignature;
import io.caduceus.notifications.engage.MessageStatus;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Preferences;
import io.caduceus.notifications.engage.Recipients;
import io.caduceus.notifications.engage.TenantSenders;
import io.caduceus.routing.RequestAudit;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What Twilio tells a tenant: delivery receipts for its SMS, and inbound replies, of which STOP and START change
 * the sender's consent. Nothing is believed before the signature verifies under the tenant's own auth token (or
 * the platform's, for the shared account), and the account named must be that account.
 */
public final class TwilioWebhookService {

  private static final UUID WEBHOOK = new UUID(0, 5);
  private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
  private static final Set<String> START = Set.of("START", "UNSTOP", "YES");

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final TenantSenders senders;
  private final Messages messages;
  private final Preferences preferences;
  private final Recipients recipients;
  private final Clock clock;
  private final PhoneNumbers phones;

  public TwilioWebhookService(TenantDb db, TenantCatalog catalog, TenantSenders senders, Messages messages,
                              Preferences preferences, Recipients recipients, Clock clock,
                              PhoneNumbers phones) {
    this.db = db;
    this.catalog = catalog;
    this.senders = senders;
    this.messages = messages;
    this.preferences = preferences;
    this.recipients = recipients;
    this.clock = clock;
    this.phones = phones;
  }

  /** Applies a status callback: delivered, or undelivered with Twilio's error code. */
  public Future<Void> status(TenantId tenant, String url, Map<String, String> form, String signature) {
    String state = form.getOrDefault("MessageStatus", "");
    MessageStatus status = switch (state) {
      case "delivered", "read" -> MessageStatus.DELIVERED;
      case "undelivered", "failed" -> MessageStatus.UNDELIVERED;
      default -> null;
    };
    return verified(tenant, url, form, signature).compose(ctx -> status == null || form.get("MessageSid") == null
        ? Future.succeededFuture()
        : db.inTenant(ctx, conn -> messages.receipt(conn, form.get("MessageSid"), status,
            form.get("ErrorCode") == null ? "twilio " + state : "twilio " + state + " " + form.get("ErrorCode"),
            clock.instant())).mapEmpty());
  }

  /**
   * Applies an inbound SMS: STOP stops SMS to every patient with the sender's number, START resumes it. Numbers are
   * compared in E.164, as they are stored; a sender that is not a possible number matches nobody. The request's
   * {@code audit} record names the patients whose consent changed; a message that changed nobody's is not recorded.
   */
  public Future<Void> inbound(TenantId tenant, RequestAudit audit, String url, Map<String, String> form,
                              String signature) {
    String word = form.getOrDefault("Body", "").trim().toUpperCase(Locale.ROOT);
    boolean stop = STOP.contains(word);
    if (!stop && !START.contains(word) || form.get("From") == null) {
      return verified(tenant, url, form, signature).mapEmpty();
    }
    audit.action(stop ? "notification_preference.sms_stop" : "notification_preference.sms_start");
    return verified(tenant, url, form, signature).compose(ctx -> phones.region(tenant).compose(region -> {
      Optional<String> sender = PhoneNumbers.e164(form.get("From"), region);
      return sender.isEmpty() ? Future.<Void>succeededFuture() : db.inTenant(ctx.withAudit(audit), conn ->
          recipients.patientsByPhone(conn, ctx, sender.get()).compose(patients -> {
            if (patients.isEmpty()) {
              audit.withheld();
            } else {
              audit.patients(patients);
            }
            return preferences.smsStop(conn, patients, stop ? clock.instant() : null);
          }));
    }));
  }

  private Future<TenantContext> verified(TenantId tenant, String url, Map<String, String> form, String signature) {
    return catalog.find(tenant).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new NotFound("no such tenant"));
      }
      TenantContext ctx = TenantContext.system(tenant, found.get().dataRegion(), found.get().tier(), WEBHOOK, Set.of(),
          "twilio-webhook");
      return senders.twilio(ctx).compose(account -> {
        if (account.isEmpty() || !authentic(account.get(), url, form, signature)) {
          return Future.failedFuture(new Forbidden("the request is not signed by the tenant's Twilio account"));
        }
        return Future.succeededFuture(ctx);
      });
    });
  }

  private static boolean authentic(TwilioAccount account, String url, Map<String, String> form, String signature) {
    return signature != null && account.accountSid().equals(form.get("AccountSid"))
        && new TwilioWebhookSignature(account.authToken()).valid(url, form, signature);
  }
}
