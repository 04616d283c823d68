package io.caduceus.api.roles;

import io.caduceus.api.access.PermissionCatalogue;
import io.caduceus.api.access.Role;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.patient.PatientSection;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a tenant role's content must keep, whoever defines it:
 * <ul>
 *   <li>no platform permission and not {@code portal} (422: no one may put them in a tenant role);</li>
 *   <li>no permission its author lacks (403: the author's effective permissions decide, so someone who holds it may);
 *       a base role is not counted, since the author may already give it to anyone ({@code tenant.users.manage});</li>
 *   <li>the patient sections, if sent, are exactly those its permissions show (422 otherwise): a section the base
 *       role does not already show adds its read permission (which the author must hold), and a read permission
 *       shows its section, so the projection cannot contradict them.</li>
 * </ul>
 */
final class RoleDrafts {

  private RoleDrafts() {
  }

  /** The draft of a validated body, checked against its author's permissions. */
  static RoleRepository.Draft of(TenantContext author, JsonObject body) {
    String basedOn = body.getString("basedOn");
    if (basedOn != null && (basedOn.equals(Role.PLATFORM_OWNER.wire()) || basedOn.equals(Role.PATIENT.wire()))) {
      throw new Unprocessable("a tenant role cannot be based on " + basedOn);
    }
    Set<String> own = new TreeSet<>(keys(body.getJsonArray("permissions", new JsonArray()), "/permissions"));
    JsonArray sections = body.getJsonArray("patientSections");
    if (sections != null) {
      // A section the base role already shows is the base role's, not an addition its author must hold.
      Set<String> base = io.caduceus.api.access.MemberAccesses.permissions(basedOn, List.of());
      sections.forEach(s -> {
        String read = PatientSection.valueOf(((String) s).toUpperCase()).read().key();
        if (!base.contains(read)) {
          own.add(read);
        }
      });
    }
    checkGrantable(author, own, "a tenant role you define");
    if (sections != null) {
      Set<String> shown = new TreeSet<>(TenantRole.sections(
          io.caduceus.api.access.MemberAccesses.permissions(basedOn, List.copyOf(own))));
      Set<String> asked = new TreeSet<>();
      sections.forEach(s -> asked.add((String) s));
      if (!shown.equals(asked)) {
        throw new Unprocessable("patientSections " + asked + " contradict the role's permissions, which show "
            + shown + " (a base role's and patient.*.read permissions each show a section)");
      }
    }
    return new RoleRepository.Draft(body.getString("name").strip(), body.getString("description", ""), basedOn,
        List.copyOf(own));
  }

  /**
   * Refuses permissions no tenant may hand out (422) and those the author lacks (403); {@code what} names what
   * would hold them in the problem's detail.
   */
  static void checkGrantable(TenantContext author, Set<String> permissions, String what) {
    for (String p : permissions) {
      if (PermissionCatalogue.reserved(p)) {
        throw new Unprocessable(p + " is the platform's or patients' only: no tenant role or grant may hold it");
      }
    }
    List<String> lacking = permissions.stream().filter(p -> !author.can(p)).sorted().toList();
    if (!lacking.isEmpty()) {
      throw new Forbidden("you do not hold " + String.join(", ", lacking) + ", so " + what + " may not");
    }
  }

  private static List<String> keys(JsonArray array, String pointer) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = array.getString(i);
      if (PermissionCatalogue.of(key).isEmpty()) {
        throw new Invalid(pointer + "/" + i, "is not a permission of the catalogue (GET /v1/permissions)");
      }
      keys.add(key);
    }
    return keys;
  }
}
