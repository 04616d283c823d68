package io.caduceus.api.encounter;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
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
    ops.bindRaw("openEncounter", this::open);
    ops.bindRaw("listEncounters", this::list);
    ops.bindRaw("getEncounter", this::get);
    ops.bindRaw("updateEncounterNotes", this::notes);
    ops.bindRaw("recordVitals", rc -> entry(rc, (ctx, body) -> encounters.recordVitals(ctx, id(rc),
        body.getJsonArray("vitals").stream().map(JsonObject.class::cast).toList())));
    ops.bindRaw("addDiagnosis", rc -> entry(rc, (ctx, body) -> encounters.addDiagnosis(ctx, id(rc),
        body.getString("code"), body.getString("display"))));
    ops.bindRaw("addProcedure", rc -> entry(rc, (ctx, body) -> encounters.addProcedure(ctx, id(rc),
        body.getString("code"), body.getString("display"), body.getInteger("quantity", 1))));
    ops.bindRaw("addAddendum", rc -> entry(rc, (ctx, body) -> encounters.addAddendum(ctx, id(rc),
        body.getString("text"))));
    ops.bindRaw("signEncounter", rc -> entry(rc, (ctx, body) -> encounters.sign(ctx, id(rc),
        ETags.optional(rc))));
    ops.bindRaw("removeEncounterEntry", this::remove);
  }

  private void open(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    UUID appointment = UUID.fromString(Requests.body(rc).getString("appointmentId"));
    idempotency.inTenant(rc, ctx, scoped -> encounters.open(scoped, appointment)
            .map(e -> Reply.created("/v1/encounters/" + e.id(), e.toJson(scoped), e.version()).about(e.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    String status = Requests.queryString(rc, "status");
    encounters.list(ctx, Requests.queryUuid(rc, "patientId"), status == null ? null : EncounterStatus.fromWire(status),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(e -> e.toJson(ctx)))))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    encounters.get(ctx, id(rc))
        .onSuccess(e -> Replies.send(rc, Reply.ok(e.toJson(ctx), e.version())))
        .onFailure(rc::fail);
  }

  private void notes(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    int version = ETags.required(rc);
    encounters.updateNotes(ctx, id(rc), version, Requests.body(rc).getString("notes"))
        .onSuccess(e -> Replies.send(rc, Reply.ok(e.toJson(ctx), e.version())))
        .onFailure(rc::fail);
  }

  private void remove(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    encounters.removeEntry(ctx, id(rc), Requests.pathString(rc, "section"), Requests.pathUuid(rc, "entryId"))
        .onSuccess(e -> Replies.send(rc, Reply.ok(e.toJson(ctx), e.version())))
        .onFailure(rc::fail);
  }

  /** A POST that changes the encounter: idempotent on its key, answering the encounter as it now is. */
  private void entry(RoutingContext rc, BiFunction<TenantContext, JsonObject, Future<Encounter>> change) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> change.apply(scoped, body)
            .map(e -> Reply.ok(e.toJson(scoped), e.version()).about(e.patientId())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static UUID id(RoutingContext rc) {
    return Requests.pathUuid(rc, "encounterId");
  }
}
