package io.caduceus.api.portal;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The patient's one view across every tenant they are registered with. The tenants come from the patient's own
 * memberships (never from the request); each is read in its own region, under that tenant's id and the patient's
 * own scope, and each records the read in its audit trail before anything of it is returned. A tenant that
 * cannot be read (or audited) is reported unavailable rather than failing the whole view. Each tenant's lab results
 * show once its {@code resultsDelayHours} ({@link PortalSettings}) have passed.
 */
public final class PortalService {

  private static final List<String> SECTIONS = List.of("appointments", "visits", "results", "medications", "bills");

  private final TenantDb db;
  private final PatientSources sources;
  private final RegionRegistry regions;
  private final AuditTrail audit;
  private final EffectiveConfig config;
  private final PortalRepository repository = new PortalRepository();

  public PortalService(TenantDb db, PatientSources sources, RegionRegistry regions, AuditTrail audit,
                       EffectiveConfig config) {
    this.db = db;
    this.sources = sources;
    this.regions = regions;
    this.audit = audit;
    this.config = config;
  }

  /**
   * Appointments, signed visits, lab results, medications and bills from every tenant of the patient. Each tenant's
   * trail records its own read, so the request's one record is withheld (it is written only for a refusal).
   */
  public Future<JsonObject> records(TenantContext ctx) {
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> {
          ctx.audit().withheld();
          return sources.of(ctx);
        })
        .compose(found -> {
          List<Future<JsonObject>> reads = new ArrayList<>();
          found.forEach(source -> reads.add(read(source)));
          Set<String> elsewhere = new HashSet<>();
          found.stream().filter(source -> !regions.serves(source.scope().region()))
              .forEach(source -> elsewhere.add(source.membership().tenantId().toString()));
          return Future.join(reads).transform(done -> Future.succeededFuture(merge(ctx, reads, elsewhere)));
        });
  }

  private Future<JsonObject> read(PatientSources.Source source) {
    JsonObject described = source.describe();
    if (!regions.serves(source.scope().region())) {
      return Future.succeededFuture(described.put("available", false)
          .put("reason", "this tenant's region is served by another node"));
    }
    UUID patient = source.membership().patientId().orElseThrow();
    int resultsDelay = PortalSettings.of(config, source.scope()).resultsDelayHours();
    return db.inTenant(source.scope(), conn -> sections(conn, patient, resultsDelay, described))
        .compose(sections -> audit.recordRead(source.scope(), AuditEvent.of("portal.read", "patient", patient, patient))
            .map(sections))
        .otherwise(failure -> described.put("available", false).put("reason", "this tenant could not be read now"));
  }

  private Future<JsonObject> sections(SqlConnection conn, UUID patient, int resultsDelay, JsonObject source) {
    JsonObject out = source.copy().put("available", true);
    return repository.name(conn, patient)
        .compose(name -> {
          name.ifPresent(n -> out.put("name", n));
          return repository.appointments(conn, patient);
        })
        .compose(items -> {
          out.put("appointments", PortalRows.from(items, source));
          return repository.visits(conn, patient);
        })
        .compose(items -> {
          out.put("visits", PortalRows.from(items, source));
          return repository.results(conn, patient, resultsDelay);
        })
        .compose(items -> {
          out.put("results", PortalRows.from(items, source));
          return repository.medications(conn, patient);
        })
        .compose(items -> {
          out.put("medications", PortalRows.from(items, source));
          return repository.bills(conn, patient);
        })
        .map(items -> out.put("bills", PortalRows.from(items, source)));
  }

  /**
   * One view: the sections of every readable tenant, with an item that one tenant holds as a copy of another's
   * (a lab's copy of the clinic's order) shown once, as the originating tenant's. When the originating tenant is
   * the patient's in a region another node serves ({@code elsewhere}), that node shows the original, so the copy
   * is left out here too: the region router merges the two answers into one view.
   */
  private static JsonObject merge(TenantContext ctx, List<Future<JsonObject>> reads, Set<String> elsewhere) {
    JsonObject view = new JsonObject().put("sources", new JsonArray());
    SECTIONS.forEach(section -> view.put(section, new JsonArray()));
    Set<String> originals = new HashSet<>();
    List<JsonObject> read = reads.stream().map(Future::result).toList();
    for (JsonObject source : read) {
      for (String section : List.of("results", "medications")) {
        source.getJsonArray(section, new JsonArray()).forEach(item -> originals.add(source.getString("tenantId") + "/"
            + ((JsonObject) item).getString(section.equals("results") ? "orderId" : "prescriptionId")));
      }
    }
    for (JsonObject source : read) {
      if (source.getString("tenantId").equals(ctx.tenantId().toString()) && source.containsKey("name")) {
        view.put("name", source.getValue("name"));
      }
      for (String section : SECTIONS) {
        JsonArray items = (JsonArray) source.remove(section);
        if (items != null) {
          items.forEach(item -> {
            JsonObject entry = (JsonObject) item;
            Object copyOf = entry.remove(PortalRows.COPY_OF);
            if (copyOf == null || !(originals.contains(copyOf.toString()) || elsewhere.contains(originOf(copyOf)))) {
              view.getJsonArray(section).add(entry);
            }
          });
        }
      }
      source.remove("name");
      view.getJsonArray("sources").add(source);
    }
    return view;
  }

  /** The tenant a copy's key ({@code tenant/item}) names. */
  private static String originOf(Object copyOf) {
    String key = copyOf.toString();
    return key.substring(0, key.indexOf('/'));
  }
}
