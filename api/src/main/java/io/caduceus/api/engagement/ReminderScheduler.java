package io.caduceus.api.engagement;

import io.caduceus.notifications.engage.DeliveryPolicy;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.ProductModule;
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
import java.util.function.Supplier;

/**
 * The scheduled sources of messages, run by one node at a time per region ({@link ScheduleLease}): appointment
 * reminders at the tenant's offsets, the "starts in 10 minutes" notice of virtual visits, refill reminders from
 * days' supply, preventive-care rules, and due campaigns. Every message is keyed by its cause, so a run repeated
 * (a node that lost its lease mid-run, a restart) adds nothing; a reminder missed while no node was up is sent
 * once, for the latest offset still ahead of the visit.
 *
 * <p>A tenant's schedules of a module it has off wait (issue 16): virtual-visit notices (telehealth), refill
 * reminders (e-prescribing), preventive-care rules and campaigns (CRM campaigns), and a campaign that carries a
 * survey also while surveys is off (its link would lead to routes that refuse the patient). Nothing is marked done
 * while they wait, so a run once the modules are on again makes what is still due: a campaign due meanwhile runs
 * then. Appointment reminders belong to no module.
 */
public final class ReminderScheduler {

  private static final UUID SCHEDULER = new UUID(0, 6);
  /** How long before a virtual visit its patient is told it starts soon. */
  static final int VIRTUAL_VISIT_LEAD_MINUTES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(ReminderScheduler.class);
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
  private final ReminderRepository reminders = new ReminderRepository();
  private final FeatureState modules;

  public ReminderScheduler(TenantDb db, RegionRegistry regions, ScheduleLease lease, Settings settings,
                           Messages messages, CareRuleService careRules, CampaignService campaigns, Clock clock,
                           Duration every, FeatureState modules) {
    this.modules = modules;
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
    Tuple ahead = Tuple.of(Timestamps.utc(now), 31 * 24 * 60);
    return db.scan("scheduler", region, ReminderSql.TENANTS, ahead).compose(rows -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (Row row : rows) {
        TenantContext ctx = TenantContext.system(new TenantId(row.getUUID("tenant_id")), region, IsolationTier.SHARED,
            SCHEDULER, Set.of(), "scheduler");
        // One tenant's failure (a bad segment, a lock timeout) must not stop the others' reminders.
        total = total.compose(sum -> db.inTenant(ctx, conn -> runTenant(conn, ctx, now)).map(n -> sum + n)
            .recover(e -> {
              LOG.warn("a tenant's scheduled run failed: {}", e.getClass().getSimpleName());
              return Future.succeededFuture(sum);
            }));
      }
      return total;
    });
  }

  private Future<Integer> runTenant(SqlConnection conn, TenantContext ctx, Instant now) {
    UUID tenant = ctx.tenantId().value();
    return settings.find(conn).compose(rules -> appointments(conn, rules, now)
        .compose(a -> when(tenant, ProductModule.TELEHEALTH, () -> virtualVisits(conn, now)).map(v -> a + v))
        .compose(a -> when(tenant, ProductModule.E_PRESCRIBING, () -> refills(conn, rules, now)).map(r -> a + r))
        .compose(n -> when(tenant, ProductModule.CRM_CAMPAIGNS, () -> careRules.runAll(conn, now)).map(c -> n + c))
        .compose(n -> when(tenant, ProductModule.CRM_CAMPAIGNS,
            () -> campaigns.runDue(conn, now, modules.moduleOn(tenant, ProductModule.SURVEYS))).map(c -> n + c)));
  }

  /** Runs a module's schedule only while the tenant has the module on (an in-memory read). */
  private Future<Integer> when(UUID tenant, ProductModule module, Supplier<Future<Integer>> schedule) {
    return modules.moduleOn(tenant, module) ? schedule.get() : Future.succeededFuture(0);
  }

  private Future<Integer> appointments(SqlConnection conn, EngagementSettings rules, Instant now) {
    List<Integer> offsets = rules.reminderOffsetsMinutes();
    if (offsets.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return reminders.appointments(conn, now, offsets).compose(appointments -> {
      List<NewMessage> due = new ArrayList<>();
      for (ReminderRepository.DueAppointment a : appointments) {
        if (a.offset() == null) {
          continue;
        }
        Instant start = a.start();
        due.add(new NewMessage("reminder:" + a.id() + ":" + start.getEpochSecond() + ":" + a.offset(),
            Topic.APPOINTMENT_REMINDER, "reminder", a.id().toString(), RecipientKind.PATIENT, a.patientId(),
            visit(start, a.practitionerName(), a.zone()), false, null, start, null));
      }
      return enqueue(conn, due, now);
    });
  }

  /**
   * "Your visit starts in 10 minutes", once per virtual visit and start time (a rescheduled visit is told again),
   * whatever the tenant's appointment reminder offsets; it is worthless once the visit has started.
   */
  private Future<Integer> virtualVisits(SqlConnection conn, Instant now) {
    return reminders.virtualVisits(conn, now, VIRTUAL_VISIT_LEAD_MINUTES).compose(visits -> {
      List<NewMessage> due = new ArrayList<>();
      for (ReminderRepository.DueVirtualVisit v : visits) {
        due.add(new NewMessage("telehealth:" + v.sessionId() + ":" + v.start().getEpochSecond() + ":"
            + VIRTUAL_VISIT_LEAD_MINUTES, Topic.TELEHEALTH_STARTING, "reminder", v.sessionId().toString(),
            RecipientKind.PATIENT, v.patientId(), visit(v.start(), v.practitionerName(), v.zone()), false, null,
            v.start(), null));
      }
      return enqueue(conn, due, now);
    });
  }

  /**
   * What a message about a visit tells: its start, its practitioner, and the time zone of its facility when that has
   * one of its own (the visit's time is told in it, and its quiet hours kept in it unless the patient chose a zone).
   */
  static JsonObject visit(Instant start, String practitionerName, String facilityZone) {
    JsonObject variables = new JsonObject().put("appointmentStart", start.toString())
        .put("practitionerName", practitionerName);
    return facilityZone == null ? variables : variables.put(DeliveryPolicy.APPOINTMENT_TIME_ZONE, facilityZone);
  }

  private Future<Integer> refills(SqlConnection conn, EngagementSettings rules, Instant now) {
    if (rules.refillLeadDays() == null) {
      return Future.succeededFuture(0);
    }
    return reminders.refills(conn, now, rules.refillLeadDays()).compose(refills -> {
      List<NewMessage> due = new ArrayList<>();
      refills.forEach(p -> due.add(new NewMessage("refill:" + p.id() + ":" + p.fills(), Topic.REFILL_DUE, "reminder",
          p.id().toString(), RecipientKind.PATIENT, p.patientId(), new JsonObject(), false, null, null, null)));
      return enqueue(conn, due, now);
    });
  }

  private Future<Integer> enqueue(SqlConnection conn, List<NewMessage> due, Instant now) {
    List<Future<Optional<UUID>>> created = new ArrayList<>();
    due.forEach(m -> created.add(messages.enqueue(conn, m, now)));
    return Future.all(created).map(all -> (int) created.stream().filter(f -> f.result().isPresent()).count());
  }
}
