package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The one statement that confines a transaction to a tenant. {@code app.tenant_id}, {@code app.user_id} and
 * {@code app.patient_id} are set transaction-locally, and row-level security reads them in every tier; a tenant
 * schema also sets the transaction's search path. The tenant's scoped access policy (region V31) reads two more:
 * {@code app.session_id}, whose active group a switchable member's session is confined to, and {@code app.sees_all},
 * set only for an actor the policy leaves unconfined ({@link TenantContext#seesAllPatients}) and for work on a whole
 * tenant. Left unset, the policy confines: a session that names only its tenant and user is scoped. {@link TenantDb} scopes each unit of work with it, and
 * {@link TenantRows} each transaction on a place's rows.
 */
final class TenantScope {

  static final String SET = """
      SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true),
        set_config('app.patient_id', $3, true), set_config('app.session_id', $4, true),
        set_config('app.sees_all', $5, true)""";
  static final String SET_AND_PATH = SET + ", set_config('search_path', $6, true)";
  /** UTC, so timestamps render the same in every session that reads or checks an archive. */
  static final String SET_IN_UTC = SET + ", set_config('TimeZone', 'UTC', true)";

  private TenantScope() {
  }

  /** Scopes the transaction to the context's actor, tenant and (for a patient) patient, in {@code place}. */
  static Future<?> of(SqlConnection conn, Placement place, TenantContext ctx) {
    String tenant = ctx.tenantId().toString();
    String user = ctx.userId().toString();
    String patient = ctx.patientId().map(Object::toString).orElse("");
    String session = ctx.sessionId() == null ? "" : ctx.sessionId().toString();
    String seesAll = ctx.seesAllPatients() ? "on" : "";
    Tuple scope = Tuple.of(tenant, user, patient, session, seesAll);
    return place.tier() == IsolationTier.SCHEMA
        ? conn.preparedQuery(SET_AND_PATH).execute(scope.addString(place.searchPath()))
        : conn.preparedQuery(SET).execute(scope);
  }

  /**
   * Scopes the transaction to the tenant as a whole (no actor, no patient, every patient), with timestamps rendered
   * in UTC: for work on all of a tenant's rows, whose statements name their tables with the schema.
   */
  static Future<Void> ofRows(SqlConnection conn, TenantId tenant) {
    return conn.preparedQuery(SET_IN_UTC).execute(Tuple.of(tenant.toString(), "", "", "", "on")).mapEmpty();
  }
}
