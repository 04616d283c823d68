package io.caduceus.api.engagement;

import io.caduceus.notifications.engage.EngagementSettings;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.NewMessage;
import io.caduceus.notifications.engage.RecipientKind;
import io.caduceus.notifications.engage.ScheduleLease;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduled sources of messages, run by one node at a time per region ({@link ScheduleLease}): appointment
 * reminders at the tenant's offsets, refill reminders from days' supply, preventive-care rules, and due campaigns.
 * Every message is keyed by its cause, so a run repeated (a node that lost its lease mid-run, a restart) adds
 * nothing; a reminder missed while no node was up is sent once, for the latest offset still ahead of the visit.
 */
public final class ReminderScheduler {

  private static final UUID SCHEDULER = new UUID(0, 6);
  private static final Logger LOG = LoggerFactory.getLogger(ReminderScheduler.class);
  private static final String TENANTS = """
      SELECT {schema}.reminder_tenants($1, $2) AS tenant_id
      UNION SELECT {schema}.crm_due_tenants($1) AS tenant_id""";
  private static final String APPOINTMENTS = """
      SELECT a.id, a.patient_id, a.starts_at, pr.given_name, pr.family_name,
        (SELECT min(o) FROM unnest($2::int[]) o WHERE a.starts_at - o * interval '1 minute' <= $1) AS due_offset
      FROM appointment a
      JOIN practitioner pr ON pr.tenant_id = a.tenant_id AND pr.id = a.practitioner_id
      WHERE a.status = 'booked'
        AND a.deleted_at IS NULL
        AND a.starts_at > $1
        AND a.starts_at <= $1 + $3 * interval '1 minute'""";
  private static final String REFILLS = """
      SELECT id, patient_id, fills
      FROM prescription
      WHERE direction = 'incoming'
        AND status = 'dispensed'
        AND fills <= refills
        AND last_filled_at + (days_supply - $2) * interval '1 day' <= $1""";

  private final TenantDb db;
  private final RegionRegistry regions;
  private final ScheduleLease lease;
  private final Settings settings;
  private final Messages messages;
  private final CareRuleService careRules;
  private final CampaignService campaigns;
  private final Clock clock;
  private final Duration every;
  private final Map<String, AtomicLong> finishedRuns = new ConcurrentHashMap<>();

  public ReminderScheduler(TenantDb db, RegionRegistry regions, ScheduleLease lease, Settings settings,
                           Messages messages, CareRuleService careRules, CampaignService campaigns, Clock clock,
                           Duration every) {
    this.db = db;
    this.regions = regions;
    this.lease = lease;
    this.settings = settings;
    this.messages = messages;
    this.careRules = careRules;
    this.campaigns = campaigns;
    this.clock = clock;
    this.every = every;
  }

  /** Runs the schedules of every region whose lease this node wins now; returns how many messages it created. */
  public Future<Integer> runOnce() {
    Future<Integer> total = Future.succeededFuture(0);
    for (String region : regions.regions()) {
      total = total.compose(sum -> lease.claim(region, "reminders", every)
          .compose(mine -> mine ? runRegion(region).onSuccess(n -> finished(region).incrementAndGet())
              : Future.succeededFuture(0))
          .map(n -> sum + n));
    }
    return total;
  }

  /**
   * How many runs of the region's schedules this node has finished since it started. A node's runs never overlap,
   * so a run counted after another was counted began after that one ended: whatever it would have created again,
   * it would have found there. (Tests use this to prove that nothing more comes, instead of waiting a while.)
   */
  public long finishedRuns(String region) {
    return finished(region).get();
  }

  private AtomicLong finished(String region) {
    return finishedRuns.computeIfAbsent(region, r -> new AtomicLong());
  }

  private Future<Integer> runRegion(String region) {
    Instant now = clock.instant();
    return db.scan("scheduler", region, TENANTS, Tuple.of(Timestamps.utc(now), 31 * 24 * 60)).compose(rows -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (Row row : rows) {
        TenantContext ctx = TenantContext.system(new TenantId(row.getUUID("tenant_id")), region, IsolationTier.SHARED,
            SCHEDULER, Set.of(), "scheduler");
        // One tenant's failure (a bad segment, a lock timeout) must not stop the others' reminders.
        total = total.compose(sum -> db.inTenant(ctx, conn -> runTenant(conn, now)).map(n -> sum + n)
            .recover(e -> {
              LOG.warn("a tenant's scheduled run failed: {}", e.getClass().getSimpleName());
              return Future.succeededFuture(sum);
            }));
      }
      return total;
    });
  }

  private Future<Integer> runTenant(SqlConnection conn, Instant now) {
    return settings.find(conn).compose(rules -> appointments(conn, rules, now)
        .compose(a -> refills(conn, rules, now).map(r -> a + r))
        .compose(n -> careRules.runAll(conn, now).map(c -> n + c))
        .compose(n -> campaigns.runDue(conn, now).map(c -> n + c)));
  }

  private Future<Integer> appointments(SqlConnection conn, EngagementSettings rules, Instant now) {
    List<Integer> offsets = rules.reminderOffsetsMinutes();
    if (offsets.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return conn.preparedQuery(APPOINTMENTS).execute(Tuple.of(Timestamps.utc(now),
            offsets.toArray(Integer[]::new), offsets.get(0)))
        .compose(rows -> {
          List<NewMessage> due = new ArrayList<>();
          for (Row a : rows) {
            Integer offset = a.getInteger("due_offset");
            if (offset == null) {
              continue;
            }
            Instant start = a.getOffsetDateTime("starts_at").toInstant();
            String name = (a.getString("given_name") == null ? "" : a.getString("given_name") + " ")
                + a.getString("family_name");
            due.add(new NewMessage("reminder:" + a.getUUID("id") + ":" + start.getEpochSecond() + ":" + offset,
                Topic.APPOINTMENT_REMINDER, "reminder", a.getUUID("id").toString(), RecipientKind.PATIENT,
                a.getUUID("patient_id"), new JsonObject().put("appointmentStart", start.toString())
                .put("practitionerName", name), false, null, start, null));
          }
          return enqueue(conn, due, now);
        });
  }

  private Future<Integer> refills(SqlConnection conn, EngagementSettings rules, Instant now) {
    if (rules.refillLeadDays() == null) {
      return Future.succeededFuture(0);
    }
    return conn.preparedQuery(REFILLS).execute(Tuple.of(Timestamps.utc(now), rules.refillLeadDays()))
        .compose(rows -> {
          List<NewMessage> due = new ArrayList<>();
          rows.forEach(p -> due.add(new NewMessage("refill:" + p.getUUID("id") + ":" + p.getInteger("fills"),
              Topic.REFILL_DUE, "reminder", p.getUUID("id").toString(), RecipientKind.PATIENT, p.getUUID("patient_id"),
              new JsonObject(), false, null, null, null)));
          return enqueue(conn, due, now);
        });
  }

  private Future<Integer> enqueue(SqlConnection conn, List<NewMessage> due, Instant now) {
    List<Future<Optional<UUID>>> created = new ArrayList<>();
    due.forEach(m -> created.add(messages.enqueue(conn, m, now)));
    return Future.all(created).map(all -> (int) created.stream().filter(f -> f.result().isPresent()).count());
  }
}
