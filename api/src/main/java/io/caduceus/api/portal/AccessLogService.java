package io.caduceus.api.portal;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * "Who looked at my record": every audited access to the patient's chart, in every tenant they are registered
 * with, newest first - who, which tenant, when, what and with what outcome, and whether it was made under an
 * emergency (break-glass) access. A copy made by a cross-tenant exchange
 * shows the tenant it came from. The patient's own accesses are left out. Only the tenant's staff are named
 * ({@link AccessActor}): an attempt by another patient shows that it happened, never who made it.
 */
public final class AccessLogService {

  private final TenantDb db;
  private final PatientSources sources;
  private final RegionRegistry regions;
  private final UserRepository users;
  private final TenantCatalog catalog;
  private final AuditTrail audit;
  private final Cursors cursors;
  private final PortalRepository repository = new PortalRepository();

  public AccessLogService(TenantDb db, PatientSources sources, RegionRegistry regions, UserRepository users,
                          TenantCatalog catalog, AuditTrail audit, Cursors cursors) {
    this.db = db;
    this.sources = sources;
    this.regions = regions;
    this.users = users;
    this.catalog = catalog;
    this.audit = audit;
    this.cursors = cursors;
  }

  /** One audited access to the record and the tenant whose trail holds it. */
  private record Seen(PatientSources.Source source, RecordAccess access) {

    Instant at() {
      return access.at();
    }

    UUID id() {
      return access.id();
    }
  }

  /**
   * One page of accesses to the patient's record across their tenants, newest first. Each tenant's trail records
   * its own read, so the request's one record is withheld (it is written only for a refusal).
   */
  public Future<Page<JsonObject>> accesses(TenantContext ctx, int limit, String cursor) {
    String owner = ctx.userId().toString();
    Position after = cursors.after(ctx, "access-log", owner, cursor);
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> {
          ctx.audit().withheld();
          return sources.of(ctx);
        })
        .compose(found -> {
          List<Future<List<Seen>>> reads = new ArrayList<>();
          found.stream().filter(s -> regions.serves(s.scope().region()))
              .forEach(s -> reads.add(read(s, after, limit + 1)));
          return Future.all(reads).map(done -> newest(reads, limit + 1));
        })
        .compose(page -> describe(page).map(items -> Page.of(items, limit, last -> cursors.seal(ctx, "access-log", owner,
            new JsonObject().put("at", last.getString("at")).put("id", last.getString("eventId"))))));
  }

  private Future<List<Seen>> read(PatientSources.Source source, Position after, int limit) {
    UUID patient = source.membership().patientId().orElseThrow();
    return db.once(source.scope(), conn -> repository.accesses(conn, source.scope(), patient, after.at(), after.id(),
            limit))
        .compose(found -> audit.recordRead(source.scope(), AuditEvent.of("portal.access_log", "audit_event", null,
            patient)).map(found))
        .map(found -> found.stream().map(access -> new Seen(source, access)).toList());
  }

  /** The newest accesses of all tenants, in the order each tenant's statement returns them. */
  private static List<Seen> newest(List<Future<List<Seen>>> reads, int limit) {
    return reads.stream().flatMap(f -> f.result().stream())
        .sorted(Comparator.comparing(Seen::at).thenComparing(Seen::id, AccessLogService::asDatabase).reversed())
        .limit(limit).toList();
  }

  /** PostgreSQL orders uuids as unsigned bytes; {@link UUID#compareTo} compares signed longs. */
  private static int asDatabase(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  private Future<List<JsonObject>> describe(List<Seen> accesses) {
    Set<UUID> actors = new HashSet<>();
    Set<TenantId> partners = new HashSet<>();
    accesses.forEach(a -> {
      if (AccessActor.of(a.access()) == AccessActor.STAFF) {
        actors.add(a.access().actorUserId());
      }
      UUID partner = a.access().partnerTenantId();
      if (partner != null) {
        partners.add(new TenantId(partner));
      }
    });
    List<Future<?>> names = new ArrayList<>();
    Future<Map<UUID, String>> people = users.displayNames(actors);
    names.add(people);
    Map<TenantId, Future<String>> tenants = new HashMap<>();
    partners.forEach(p -> tenants.put(p, catalog.find(p).map(t -> t.map(Tenant::name).orElse("a former partner"))));
    names.addAll(tenants.values());
    return Future.all(names).map(done -> accesses.stream().map(a -> entry(a, people.result(), tenants)).toList());
  }

  private static JsonObject entry(Seen a, Map<UUID, String> people, Map<TenantId, Future<String>> tenants) {
    RecordAccess access = a.access();
    JsonObject who = AccessActor.of(access).describe(access, people);
    JsonObject entry = new JsonObject().put("eventId", a.id().toString()).put("at", a.at().toString())
        .put("tenantId", a.source().membership().tenantId().toString())
        .put("tenantName", a.source().membership().tenantName())
        .put("actor", who).put("action", access.action()).put("outcome", access.outcome());
    if (access.purpose() != null) {
      entry.put("purpose", access.purpose());
    }
    UUID partner = access.partnerTenantId();
    if (partner != null) {
      entry.put("partner", new JsonObject().put("tenantId", partner.toString())
          .put("tenantName", tenants.get(new TenantId(partner)).result()));
    }
    return entry;
  }
}
