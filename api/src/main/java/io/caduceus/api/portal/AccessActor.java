package io.caduceus.api.portal;

import io.caduceus.api.access.Role;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who the access log says acted, from the roles the audit row recorded in that tenant at the time. A patient may
 * know which of the tenant's staff opened their chart, by name; they may never learn who else tried. Anyone who
 * held no staff role there (another patient, most often, refused on the record) is shown without name or roles:
 * naming them would disclose another patient's identity.
 */
enum AccessActor {
  STAFF, EXCHANGE, SYSTEM, UNIDENTIFIED;

  /** The wire names of every role that makes its holder the tenant's staff: all but the patient's own. */
  private static final Set<String> STAFF_ROLES = Arrays.stream(Role.values()).filter(r -> r != Role.PATIENT)
      .map(Role::wire).collect(Collectors.toUnmodifiableSet());

  /** The platform's own work in a tenant (a webhook, a scheduler) is recorded under this role. */
  private static final String SYSTEM_ROLE = "system";

  /** How the access's actor is shown. */
  static AccessActor of(RecordAccess access) {
    if (ExchangeDelivery.ACTOR.equals(access.actorUserId())) {
      return EXCHANGE;
    }
    List<String> roles = access.actorRoles();
    if (roles.stream().anyMatch(STAFF_ROLES::contains)) {
      return STAFF;
    }
    return roles.contains(SYSTEM_ROLE) ? SYSTEM : UNIDENTIFIED;
  }

  /** The contract's {@code actor}; {@code people} holds the display names of the staff on the page. */
  JsonObject describe(RecordAccess access, Map<UUID, String> people) {
    JsonObject who = new JsonObject().put("kind", name().toLowerCase());
    return switch (this) {
      case STAFF -> who.put("name", people.getOrDefault(access.actorUserId(), "a former user"))
          .put("roles", new JsonArray(access.actorRoles()));
      case EXCHANGE -> who.put("name", "Caduceus exchange").put("roles", new JsonArray());
      case SYSTEM -> who.put("name", "Caduceus").put("roles", new JsonArray());
      case UNIDENTIFIED -> who.put("name", "Someone outside the staff").put("roles", new JsonArray());
    };
  }
}
