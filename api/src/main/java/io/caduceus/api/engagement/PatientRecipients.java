package io.caduceus.api.engagement;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.notifications.engage.Recipient;
import io.caduceus.notifications.engage.RecipientKind;
import io.caduceus.notifications.engage.Recipients;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells the engagement engine who its recipients are: a patient's given name, phone, email and language from the
 * patient record; a staff member's name and email from their practitioner profile, else their login; the
 * tenant's display name from the catalog.
 */
public final class PatientRecipients implements Recipients {

  private static final String PATIENTS = """
      SELECT id, given_name, contact, preferred_language
      FROM patient
      WHERE id = ANY($1) AND deleted_at IS NULL""";
  private static final String STAFF = "SELECT user_id, given_name, email FROM practitioner WHERE user_id = ANY($1)";
  private static final String BY_PHONE = "SELECT id FROM patient WHERE contact->>'phone' = $1 AND deleted_at IS NULL";

  private final UserRepository users;
  private final TenantCatalog catalog;

  public PatientRecipients(UserRepository users, TenantCatalog catalog) {
    this.users = users;
    this.catalog = catalog;
  }

  @Override
  public Future<Map<UUID, Recipient>> find(SqlConnection conn, TenantContext tenant, RecipientKind kind,
                                           Collection<UUID> ids) {
    UUID[] array = ids.toArray(UUID[]::new);
    if (kind == RecipientKind.PATIENT) {
      return conn.preparedQuery(PATIENTS).execute(Tuple.of((Object) array)).map(rows -> {
        Map<UUID, Recipient> found = new HashMap<>();
        rows.forEach(row -> found.put(row.getUUID("id"), patient(row)));
        return found;
      });
    }
    return conn.preparedQuery(STAFF).execute(Tuple.of((Object) array)).compose(rows -> {
      Map<UUID, Recipient> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("user_id"), new Recipient(RecipientKind.STAFF, row.getUUID("user_id"),
          row.getString("given_name"), null, row.getString("email"), null, null)));
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
    return conn.preparedQuery(BY_PHONE).execute(Tuple.of(e164)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  @Override
  public Future<String> tenantName(TenantContext tenant) {
    return catalog.find(tenant.tenantId()).map(t -> t.map(Tenant::name).orElse("Caduceus"));
  }

  private static Recipient patient(Row row) {
    JsonObject contact = row.getJsonObject("contact") == null ? new JsonObject() : row.getJsonObject("contact");
    return new Recipient(RecipientKind.PATIENT, row.getUUID("id"), row.getString("given_name"),
        contact.getString("phone"), contact.getString("email"), row.getString("preferred_language"), null);
  }
}
