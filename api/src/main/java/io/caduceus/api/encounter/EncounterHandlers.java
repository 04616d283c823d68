package io.caduceus.api.encounter;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.BiFunction;

/** The {@code /v1/encounters} operations. */
public final class EncounterHandlers {

  private final EncounterService encounters;
  private final Idempotency idempotency;

  public EncounterHandlers(EncounterService encounters, Idempotency idempotency) {
    this.encounters = encounters;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("openEncounter", this::open);
    ops.bind("listEncounters", this::list);
    ops.bind("getEncounter", this::get);
    ops.bind("updateEncounterNotes", this::notes);
    ops.bind("recordVitals", rc -> entry(rc, (ctx, body) -> encounters.recordVitals(ctx, id(rc),
        body.getJsonArray("vitals").stream().map(JsonObject.class::cast).toList())));
    ops.bind("addDiagnosis", rc -> entry(rc, (ctx, body) -> encounters.addDiagnosis(ctx, id(rc),
        body.getString("code"), body.getString("display"))));
    ops.bind("addProcedure", rc -> entry(rc, (ctx, body) -> encounters.addProcedure(ctx, id(rc),
        body.getString("code"), body.getString("display"), body.getInteger("quantity", 1))));
    ops.bind("addAddendum", rc -> entry(rc, (ctx, body) -> encounters.addAddendum(ctx, id(rc),
        body.getString("text"))));
    ops.bind("signEncounter", rc -> entry(rc, (ctx, body) -> encounters.sign(ctx, id(rc),
        ETags.optional(rc))));
    ops.bind("removeEncounterEntry", this::remove);
  }

  private Future<Reply> open(RoutingContext rc) {
    UUID appointment = UUID.fromString(Requests.body(rc).getString("appointmentId"));
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> encounters.open(joined, appointment)
        .map(e -> Reply.created("/v1/encounters/" + e.id(), e.toJson(joined), e.version()).about(e.patientId())));
  }

  private Future<Reply> list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String status = Requests.queryString(rc, "status");
    return encounters.list(ctx, Requests.queryUuid(rc, "patientId"),
            status == null ? null : EncounterStatus.fromWire(status), Requests.queryInt(rc, "limit", 20),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(e -> e.toJson(ctx))));
  }

  private Future<Reply> get(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return encounters.get(ctx, id(rc)).map(e -> Reply.ok(e.toJson(ctx), e.version()));
  }

  private Future<Reply> notes(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    int version = ETags.required(rc);
    return encounters.updateNotes(ctx, id(rc), version, Requests.body(rc).getString("notes"))
        .map(e -> Reply.ok(e.toJson(ctx), e.version()));
  }

  private Future<Reply> remove(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return encounters.removeEntry(ctx, id(rc), Requests.pathString(rc, "section"), Requests.pathUuid(rc, "entryId"))
        .map(e -> Reply.ok(e.toJson(ctx), e.version()));
  }

  /** A POST that changes the encounter: idempotent on its key, answering the encounter as it now is. */
  private Future<Reply> entry(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<Encounter>> change) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> change.apply(joined, body)
        .map(e -> Reply.ok(e.toJson(joined), e.version()).about(e.patientId())));
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "encounterId");
  }
}
