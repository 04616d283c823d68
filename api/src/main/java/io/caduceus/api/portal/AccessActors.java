package io.caduceus.api.portal;

import io.caduceus.api.audit.AuditRecord;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who acted in each of a tenant's audit events, named as the patient's access log names them ({@link AccessActor}):
 * the tenant's staff by name and roles, the exchange and the platform as such, anyone else without name or roles.
 * For the FHIR facade's {@code AuditEvent} as a patient's token reads it.
 */
public final class AccessActors {

  private final UserRepository users;
  private final TenantCatalog catalog;

  public AccessActors(UserRepository users, TenantCatalog catalog) {
    this.users = users;
    this.catalog = catalog;
  }

  /**
   * Each event's actor ({@code kind}, {@code name}, {@code roles}, as the access log's), by event id, with the
   * {@code partner} tenant ({@code tenantId}, {@code tenantName}) of a copy a cross-tenant exchange made.
   */
  public Future<Map<UUID, JsonObject>> describe(List<AuditRecord> events) {
    List<RecordAccess> accesses = events.stream().map(e -> new RecordAccess(e.id(), e.occurredAt(), e.actorUserId(),
        e.actorRoles(), e.action(), e.outcome(), e.partnerTenantId(), e.purpose())).toList();
    Set<UUID> staff = accesses.stream().filter(a -> AccessActor.of(a) == AccessActor.STAFF)
        .map(RecordAccess::actorUserId).collect(Collectors.toSet());
    Future<Map<UUID, String>> people = staff.isEmpty() ? Future.succeededFuture(Map.of()) : users.displayNames(staff);
    Map<UUID, Future<String>> partners = new HashMap<>();
    accesses.stream().map(RecordAccess::partnerTenantId).filter(Objects::nonNull).distinct()
        .forEach(p -> partners.put(p, catalog.find(new TenantId(p))
            .map(t -> t.map(Tenant::name).orElse("a former partner"))));
    List<Future<?>> lookups = new ArrayList<>(partners.values());
    lookups.add(people);
    return Future.all(lookups).map(done -> {
      Map<UUID, JsonObject> actors = new HashMap<>();
      accesses.forEach(a -> {
        JsonObject actor = AccessActor.of(a).describe(a, people.result());
        if (a.partnerTenantId() != null) {
          actor.put("partner", new JsonObject().put("tenantId", a.partnerTenantId().toString())
              .put("tenantName", partners.get(a.partnerTenantId()).result()));
        }
        actors.put(a.id(), actor);
      });
      return actors;
    });
  }
}
