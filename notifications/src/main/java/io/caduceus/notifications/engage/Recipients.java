package io.caduceus.notifications.engage;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the engine learns about the people it reaches, which the domain (the API module) owns: a patient's
 * contact and language, a staff member's email, the tenant's display name. Calls run inside the tenant's
 * transaction on {@code conn}.
 */
public interface Recipients {

  /** The recipients as of now, by id; an id that no longer exists in the tenant is missing from the map. */
  Future<Map<UUID, Recipient>> find(SqlConnection conn, TenantContext tenant, RecipientKind kind, Collection<UUID> ids);

  /** The patients of the tenant whose phone is {@code e164} (for an inbound STOP or START). */
  Future<List<UUID>> patientsByPhone(SqlConnection conn, TenantContext tenant, String e164);

  /** The name messages are signed with. */
  Future<String> tenantName(TenantContext tenant);
}
