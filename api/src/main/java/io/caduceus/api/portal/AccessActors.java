package io.caduceus.api.portal;

import io.caduceus.api.audit.AuditRecord;
import io.caduceus.api.auth.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  public AccessActors(UserRepository users) {
    this.users = users;
  }

  /** Each event's actor ({@code kind}, {@code name}, {@code roles}, as the access log's), by event id. */
  public Future<Map<UUID, JsonObject>> describe(List<AuditRecord> events) {
    List<RecordAccess> accesses = events.stream().map(e -> new RecordAccess(e.id(), e.occurredAt(), e.actorUserId(),
        e.actorRoles(), e.action(), e.outcome(), e.partnerTenantId())).toList();
    Set<UUID> staff = accesses.stream().filter(a -> AccessActor.of(a) == AccessActor.STAFF)
        .map(RecordAccess::actorUserId).collect(Collectors.toSet());
    Future<Map<UUID, String>> people = staff.isEmpty() ? Future.succeededFuture(Map.of()) : users.displayNames(staff);
    return people.map(names -> {
      Map<UUID, JsonObject> actors = new HashMap<>();
      accesses.forEach(a -> actors.put(a.id(), AccessActor.of(a).describe(a, names)));
      return actors;
    });
  }
}
