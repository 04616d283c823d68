package io.caduceus.api.smart;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * SMART's EHR launch: a staff user opens an app of their tenant on a patient (and an encounter); the launch is an
 * opaque value the app sends back in its authorization request with the scope {@code launch}, within five minutes and
 * once, which binds the request to that user and its token response to that context.
 */
public final class SmartLaunches {

  private final ControlPlane controlPlane;
  private final SmartApps apps;
  private final BiFunction<TenantContext, UUID, Future<Boolean>> patientExists;
  private final BiFunction<TenantContext, UUID, Future<UUID>> encounterPatient;

  /**
   * With {@code patientExists} the check that a patient is one of the caller's tenant, and {@code encounterPatient}
   * the patient of an encounter the caller may read (both in the tenant's region, under RLS; else 404).
   */
  public SmartLaunches(ControlPlane controlPlane, SmartApps apps,
                       BiFunction<TenantContext, UUID, Future<Boolean>> patientExists,
                       BiFunction<TenantContext, UUID, Future<UUID>> encounterPatient) {
    this.controlPlane = controlPlane;
    this.apps = apps;
    this.patientExists = patientExists;
    this.encounterPatient = encounterPatient;
  }

  /** Creates a launch; its id, the opaque {@code launch}, the app's launch URL with {@code iss} and {@code launch}. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body, String fhirBase) {
    if (ctx.actsAsPatient()) {
      return Future.failedFuture(new Forbidden("only staff launch apps from the EHR"));
    }
    UUID appId = UUID.fromString(body.getString("appId"));
    UUID patient = UUID.fromString(body.getString("patientId"));
    UUID encounter = body.getString("encounterId") == null ? null : UUID.fromString(body.getString("encounterId"));
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> apps.find(appId))
        .compose(found -> {
          if (found.isEmpty() || !found.get().tenant().equals(ctx.tenantId()) || !found.get().enabled()) {
            return Future.failedFuture(new NotFound("no such SMART app"));
          }
          SmartApp app = found.get();
          if (app.launchUrl() == null || !app.scopes().contains("launch")) {
            return Future.failedFuture(new Invalid("/appId", "the app has no launch URL or may not ask for launch"));
          }
          return patientExists.apply(ctx, patient)
              .compose(exists -> exists ? encounterOf(ctx, patient, encounter)
                  : Future.failedFuture(new NotFound("no such patient")))
              .compose(v -> insert(ctx, app, patient, encounter, fhirBase));
        });
  }

  /** A launch the caller created (not its secret value): whom it was for, and whether the app used it. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return controlPlane.pool().preparedQuery(SmartAppSql.FIND_LAUNCH)
        .execute(Tuple.of(id, ctx.tenantId().value(), ctx.userId()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such launch"))
            : Future.succeededFuture(json(rows.iterator().next())));
  }

  private static JsonObject json(Row row) {
    JsonObject json = new JsonObject().put("id", row.getUUID("id").toString())
        .put("appId", row.getUUID("app_id").toString()).put("patientId", row.getUUID("patient_id").toString())
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("expiresAt", row.getOffsetDateTime("expires_at").toInstant().toString());
    if (row.getUUID("encounter_id") != null) {
      json.put("encounterId", row.getUUID("encounter_id").toString());
    }
    if (row.getOffsetDateTime("used_at") != null) {
      json.put("usedAt", row.getOffsetDateTime("used_at").toInstant().toString());
    }
    return json;
  }

  /** Checks that the encounter, if any, is one of the patient's. */
  private Future<Void> encounterOf(TenantContext ctx, UUID patient, UUID encounter) {
    if (encounter == null) {
      return Future.succeededFuture();
    }
    return encounterPatient.apply(ctx, encounter).compose(of -> of.equals(patient) ? Future.<Void>succeededFuture()
        : Future.failedFuture(new Invalid("/encounterId", "the encounter is not the patient's")));
  }

  private Future<JsonObject> insert(TenantContext ctx, SmartApp app, UUID patient, UUID encounter, String fhirBase) {
    UUID id = UUID.randomUUID();
    String launch = SecretTokens.next();
    return controlPlane.pool().preparedQuery(SmartAppSql.INSERT_LAUNCH).execute(Tuple.from(new Object[] {id,
            Buffer.buffer(SecretTokens.hash(launch)), ctx.tenantId().value(), app.id(), ctx.userId(), patient,
            encounter}))
        .map(rows -> new JsonObject().put("id", id.toString()).put("launch", launch)
            .put("launchUrl", app.launchUrl() + (app.launchUrl().contains("?") ? '&' : '?')
                + "iss=" + URLEncoder.encode(fhirBase, StandardCharsets.UTF_8)
                + "&launch=" + URLEncoder.encode(launch, StandardCharsets.UTF_8))
            .put("expiresAt", rows.iterator().next().getOffsetDateTime("expires_at").toInstant().toString()));
  }
}
