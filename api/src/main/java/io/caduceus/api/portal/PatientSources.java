package io.caduceus.api.portal;

import io.caduceus.routing.catalog.Membership;
import io.caduceus.api.access.Role;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants a patient's account may read for its portal: its own active patient memberships, read from the
 * control plane for the verified user (never named by the request), each with the patient's scope there.
 */
public final class PatientSources {

  private final UserRepository users;
  private final TenantCatalog catalog;

  public PatientSources(UserRepository users, TenantCatalog catalog) {
    this.users = users;
    this.catalog = catalog;
  }

  /** A tenant the patient is registered with, and the patient's scope in it. */
  record Source(Membership membership, TenantContext scope) {

    /** How the view names this tenant. */
    JsonObject describe() {
      return new JsonObject().put("tenantId", membership.tenantId().toString())
          .put("tenantName", membership.tenantName()).put("tenantKind", membership.tenantKind())
          .put("patientId", membership.patientId().orElseThrow().toString());
    }
  }

  /** Every active tenant where the acting user is a patient, oldest membership first. */
  Future<List<Source>> of(TenantContext ctx) {
    return users.memberships(ctx.userId()).compose(all -> {
      List<Future<Optional<Source>>> found = new ArrayList<>();
      for (Membership m : all) {
        if (m.usable() && m.patientId().isPresent()) {
          found.add(catalog.find(m.tenantId()).map(t -> t.map(tenant -> new Source(m, new TenantContext(m.tenantId(),
              tenant.dataRegion(), tenant.tier(), ctx.userId(), Set.copyOf(m.roles()),
              Role.permissionKeys(m.roles()), m.patientId(), ctx.requestId(), ctx.clientAddress(), null)))));
        }
      }
      return Future.all(found).map(done -> found.stream().map(Future::result).flatMap(Optional::stream).toList());
    });
  }
}
