package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.Rendered;
import io.caduceus.notifications.template.Template;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.keys.SealBrokenException;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Everything a cycle needs to decide about a batch of one tenant's messages, read in a few queries for the whole
 * batch: the tenant's rules and templates, the recipients, their preferences and devices, their recent sends
 * (for the daily cap), the provider ids already claimed (for reconciliation), and the batch's sealed links and
 * reasons, opened in memory only.
 */
final class Circumstances {

  private static final String CAMPAIGNS = "SELECT id, content FROM campaign WHERE id = ANY($1)";

  private final EngagementSettings settings;
  private final Map<String, Template> templates;
  private final String tenantName;
  private final Map<UUID, Recipient> patients;
  private final Map<UUID, Recipient> staff;
  private final Map<UUID, Preference> preferences;
  private final Map<UUID, List<String>> tokens;
  private final Map<UUID, List<Instant>> recentSends;
  private final Set<String> claimedIds;
  private final Map<UUID, JsonObject> campaigns;
  private final Map<UUID, String> links;
  private final Map<UUID, String> reasons;

  private Circumstances(EngagementSettings settings, Map<String, Template> templates, String tenantName,
                        Map<UUID, Recipient> patients, Map<UUID, Recipient> staff, Map<UUID, Preference> preferences,
                        Map<UUID, List<String>> tokens, Map<UUID, List<Instant>> recentSends, Set<String> claimedIds,
                        Map<UUID, JsonObject> campaigns, Map<UUID, String> links, Map<UUID, String> reasons) {
    this.settings = settings;
    this.templates = templates;
    this.tenantName = tenantName;
    this.patients = patients;
    this.staff = staff;
    this.preferences = preferences;
    this.tokens = tokens;
    this.recentSends = recentSends;
    this.claimedIds = claimedIds;
    this.campaigns = campaigns;
    this.links = links;
    this.reasons = reasons;
  }

  /** Reads the circumstances of {@code messages} on the tenant's open transaction. */
  static Future<Circumstances> gather(SqlConnection conn, TenantContext ctx, Recipients recipients,
                                      TenantKeyring keyring, List<Message> messages, Instant now) {
    List<UUID> patientIds = ids(messages, RecipientKind.PATIENT);
    List<UUID> staffIds = ids(messages, RecipientKind.STAFF);
    UUID[] patientArray = patientIds.toArray(UUID[]::new);
    Instant orphanedSince = messages.stream().filter(m -> m.orphaned() || m.attempts() > 0).map(Message::sendingSince)
        .filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    Future<EngagementSettings> settings = conn.query(MessageSql.SETTINGS).execute()
        .map(rows -> rows.size() == 0 ? EngagementSettings.DEFAULTS : EngagementSettings.fromRow(rows.iterator().next()));
    Future<Map<String, Template>> templates = conn.query(MessageSql.TEMPLATES).execute().map(Circumstances::templates);
    Future<Map<UUID, Recipient>> patients = patientIds.isEmpty() ? Future.succeededFuture(Map.of())
        : recipients.find(conn, ctx, RecipientKind.PATIENT, patientIds);
    Future<Map<UUID, Recipient>> staff = staffIds.isEmpty() ? Future.succeededFuture(Map.of())
        : recipients.find(conn, ctx, RecipientKind.STAFF, staffIds);
    Future<Map<UUID, Preference>> preferences = conn.preparedQuery(MessageSql.PREFERENCES)
        .execute(Tuple.of((Object) patientArray)).map(rows -> {
          Map<UUID, Preference> byPatient = new HashMap<>();
          rows.forEach(row -> byPatient.put(row.getUUID("patient_id"), Preference.fromRow(row)));
          return byPatient;
        });
    Future<Map<UUID, List<String>>> tokens = conn.preparedQuery(MessageSql.DEVICES).execute(Tuple.of((Object) patientArray))
        .map(rows -> group(rows, "patient_id", row -> row.getString("token")));
    UUID[] everyone = messages.stream().map(Message::recipientId).distinct().toArray(UUID[]::new);
    Future<Map<UUID, List<Instant>>> recent = conn.preparedQuery(MessageSql.RECENT_SENDS)
        .execute(Tuple.of(everyone, Timestamps.utc(now.minus(Duration.ofHours(50)))))
        .map(rows -> group(rows, "recipient_id", row -> row.getOffsetDateTime("sending_since").toInstant()));
    Future<Set<String>> claimed = orphanedSince == null ? Future.succeededFuture(Set.of())
        : conn.preparedQuery(MessageSql.CLAIMED_PROVIDER_IDS)
        .execute(Tuple.of(Timestamps.utc(orphanedSince.minus(Duration.ofHours(1)))))
        .map(rows -> {
          Set<String> ids = new HashSet<>();
          rows.forEach(row -> ids.add(row.getString("provider_message_id")));
          return ids;
        });
    UUID[] campaignIds = messages.stream().map(Message::campaignId).filter(Objects::nonNull).distinct()
        .toArray(UUID[]::new);
    Future<Map<UUID, JsonObject>> campaigns = campaignIds.length == 0 ? Future.succeededFuture(Map.of())
        : conn.preparedQuery(CAMPAIGNS).execute(Tuple.of((Object) campaignIds)).map(rows -> {
          Map<UUID, JsonObject> byId = new HashMap<>();
          rows.forEach(row -> byId.put(row.getUUID("id"), row.getJsonObject("content")));
          return byId;
        });
    Future<Map<UUID, String>> links = opened(ctx, keyring, messages.stream().filter(SealedLink::carried).toList(),
        SealedLink::open);
    Future<Map<UUID, String>> reasons = opened(ctx, keyring,
        messages.stream().filter(SealedReason::carried).toList(), SealedReason::open);
    return Future.all(List.of(settings, templates, patients, staff, preferences, tokens, recent, claimed,
            recipients.tenantName(ctx), campaigns, links, reasons))
        .map(all -> new Circumstances(settings.result(), templates.result(), all.resultAt(8), patients.result(),
            staff.result(), preferences.result(), tokens.result(), recent.result(), claimed.result(),
            campaigns.result(), links.result(), reasons.result()));
  }

  /**
   * The sealed values (links or reasons) of {@code sealed}, opened. The keyring failing fails the batch (it is
   * retried next cycle); a value the tenant's key no longer opens is left out: {@link #linkLost} fails a link's
   * message, and a reason's alert goes out with the reason {@link SealedReason#WITHHELD}.
   */
  private static Future<Map<UUID, String>> opened(TenantContext ctx, TenantKeyring keyring, List<Message> sealed,
                                                  BiFunction<TenantKeys, Message, String> open) {
    if (sealed.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return keyring.keys(ctx.tenantId()).map(keys -> {
      Map<UUID, String> values = new HashMap<>();
      for (Message m : sealed) {
        try {
          values.put(m.id(), open.apply(keys, m));
        } catch (SealBrokenException | IllegalArgumentException e) {
          // The key was destroyed or the value altered: it can never be opened.
        }
      }
      return values;
    });
  }

  /** Whether {@code m} carries a sealed link the tenant's key no longer opens. */
  boolean linkLost(Message m) {
    return SealedLink.carried(m) && !links.containsKey(m.id());
  }

  /** The words to store for {@code words} sent for {@code m}: a sealed link or reason stays out of them. */
  Rendered toStore(Message m, Rendered words) {
    String link = links.get(m.id());
    String reason = reasons.get(m.id());
    Rendered stored = link == null ? words : words.withheld(link, SealedLink.WITHHELD);
    return reason == null ? stored : stored.withheld(reason, SealedReason.WITHHELD);
  }

  /** A campaign's own wording of {@code m} on {@code channel}, or null to use the templates. */
  Template campaignWording(Message m, Channel channel) {
    JsonObject content = m.campaignId() == null ? null : campaigns.get(m.campaignId());
    JsonObject own = content == null ? null : content.getJsonObject(channel.wire());
    return own == null ? null : new Template(m.topic(), channel, settings.defaultLocale(), own.getString("subject"),
        own.getString("body"), 0, false);
  }

  EngagementSettings settings() {
    return settings;
  }

  Map<String, Template> templates() {
    return templates;
  }

  Set<String> claimedIds() {
    return claimedIds;
  }

  /** What the delivery rules need to know about {@code m}'s recipient at {@code now}. */
  DeliveryPolicy.Circumstances of(Message m, Instant now) {
    Recipient recipient = recipient(m);
    Preference pref = preference(m);
    ZoneId zone = DeliveryPolicy.zone(pref, recipient, settings, m);
    Instant dayStart = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    int today = (int) recentSends.getOrDefault(m.recipientId(), List.of()).stream()
        .filter(at -> !at.isBefore(dayStart)).count();
    int devices = m.recipientKind() == RecipientKind.PATIENT ? tokens.getOrDefault(m.recipientId(), List.of()).size() : 0;
    return new DeliveryPolicy.Circumstances(recipient, pref, devices, today);
  }

  /** Counts a send decided in this batch towards the recipient's daily cap. */
  void countSend(UUID recipient, Instant at) {
    recentSends.computeIfAbsent(recipient, id -> new ArrayList<>()).add(at);
  }

  /** Where {@code m} goes on {@code channel}: the patient's FCM tokens, or one phone number or email address. */
  List<String> addresses(Message m, Channel channel) {
    Recipient r = recipient(m);
    if (r == null) {
      return List.of();
    }
    String single = switch (channel) {
      case PUSH -> null;
      case SMS -> r.phone();
      case EMAIL -> r.email();
    };
    if (channel == Channel.PUSH) {
      return m.recipientKind() == RecipientKind.PATIENT ? tokens.getOrDefault(m.recipientId(), List.of()) : List.of();
    }
    return single == null || single.isBlank() ? List.of() : List.of(single);
  }

  /**
   * The values {@code m}'s template may use, formatted for the recipient's locale and time zone; a visit at a facility
   * with a zone of its own is told in the facility's local time.
   */
  Map<Variable, String> values(Message m, Decision.Send send) {
    Map<Variable, String> values = new EnumMap<>(Variable.class);
    Recipient r = recipient(m);
    values.put(Variable.TENANT_NAME, tenantName);
    values.put(Variable.GIVEN_NAME, r == null ? null : r.givenName());
    values.put(Variable.LINK, SealedLink.carried(m) ? links.get(m.id()) : m.variables().getString("link"));
    String start = m.variables().getString("appointmentStart");
    if (start != null) {
      ZoneId visit = DeliveryPolicy.appointmentZone(m);
      values.put(Variable.APPOINTMENT_TIME, DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
          .withLocale(Locale.forLanguageTag(send.locale())).withZone(visit != null ? visit : send.zone())
          .format(Instant.parse(start)));
    }
    values.put(Variable.PRACTITIONER_NAME, m.variables().getString("practitionerName"));
    values.put(Variable.CLAIM_STATUS, m.variables().getString("claimStatus"));
    Object abnormal = m.variables().getValue("abnormalCount");
    values.put(Variable.ABNORMAL_COUNT, abnormal == null ? null : abnormal.toString());
    if (SealedReason.carried(m)) {
      values.put(Variable.EMERGENCY_REASON, reasons.getOrDefault(m.id(), SealedReason.WITHHELD));
    }
    return values;
  }

  private Recipient recipient(Message m) {
    return m.recipientKind() == RecipientKind.PATIENT ? patients.get(m.recipientId()) : staff.get(m.recipientId());
  }

  private Preference preference(Message m) {
    return preferences.getOrDefault(m.recipientId(), Preference.defaults(m.recipientId()));
  }

  private static Map<String, Template> templates(Iterable<Row> rows) {
    Map<String, Template> byKey = new HashMap<>();
    for (Row row : rows) {
      Topic.fromWire(row.getString("topic")).ifPresent(topic -> {
        Channel channel = Channel.fromWire(row.getString("channel"));
        String locale = row.getString("locale");
        byKey.put(Composer.key(topic, channel, locale), new Template(topic, channel, locale, row.getString("subject"),
            row.getString("body"), row.getInteger("version"), false));
      });
    }
    return byKey;
  }

  private static List<UUID> ids(List<Message> messages, RecipientKind kind) {
    return messages.stream().filter(m -> m.recipientKind() == kind).map(Message::recipientId).distinct().toList();
  }

  private static <T> Map<UUID, List<T>> group(Iterable<Row> rows, String key, Function<Row, T> value) {
    Map<UUID, List<T>> grouped = new HashMap<>();
    for (Row row : rows) {
      grouped.computeIfAbsent(row.getUUID(key), id -> new ArrayList<>()).add(value.apply(row));
    }
    return grouped;
  }
}
