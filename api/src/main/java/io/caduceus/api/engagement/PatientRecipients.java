package io.caduceus.api.engagement;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.notifications.engage.Recipient;
import io.caduceus.notifications.engage.RecipientKind;
import io.caduceus.notifications.engage.Recipients;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells the engagement engine who its recipients are: a patient's given name, phone, email and language from the
 * patient record; a staff member's name and email from their practitioner profile, else their login; the
 * tenant's display name from the catalog.
 */
public final class PatientRecipients implements Recipients {

  private final UserRepository users;
  private final TenantCatalog catalog;
  private final EngagementPatientRepository patients = new EngagementPatientRepository();
  private final EngagementStaffRepository staff = new EngagementStaffRepository();

  public PatientRecipients(UserRepository users, TenantCatalog catalog) {
    this.users = users;
    this.catalog = catalog;
  }

  @Override
  public Future<Map<UUID, Recipient>> find(SqlConnection conn, TenantContext tenant, RecipientKind kind,
                                           Collection<UUID> ids) {
    UUID[] array = ids.toArray(UUID[]::new);
    if (kind == RecipientKind.PATIENT) {
      return patients.recipients(conn, array);
    }
    return staff.profiles(conn, array).compose(found -> {
      List<Future<Void>> logins = new ArrayList<>();
      for (UUID id : ids) {
        Recipient profile = found.get(id);
        if (profile == null || profile.email() == null) {
          logins.add(users.byId(id).map(user -> {
            user.filter(u -> u.active()).ifPresent(u -> found.put(id, new Recipient(RecipientKind.STAFF, id,
                profile == null ? u.displayName() : profile.givenName(), null, u.email(), null, null)));
            return null;
          }));
        }
      }
      return Future.all(logins).map(found);
    });
  }

  @Override
  public Future<List<UUID>> patientsByPhone(SqlConnection conn, TenantContext tenant, String e164) {
    return patients.byPhone(conn, e164);
  }

  @Override
  public Future<String> tenantName(TenantContext tenant) {
    return catalog.find(tenant.tenantId()).map(t -> t.map(Tenant::name).orElse("Caduceus"));
  }
}
