package io.caduceus.api.prescription;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/interaction-rules} operations: a pharmacy's own additions to the interaction knowledge base. */
public final class InteractionRuleHandlers {

  private final InteractionRuleService rules;
  private final Idempotency idempotency;

  public InteractionRuleHandlers(InteractionRuleService rules, Idempotency idempotency) {
    this.rules = rules;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("createInteractionRule", this::create);
    ops.bindRaw("listInteractionRules", this::list);
    ops.bindRaw("deleteInteractionRule", this::delete);
  }

  private void create(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    JsonObject body = Requests.body(rc);
    idempotency.inTenant(rc, ctx, scoped -> rules.create(scoped, body)
            .map(r -> Reply.created("/v1/interaction-rules/" + r.id(), r.toJson())))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    rules.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(InteractionRule::toJson))))
        .onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    rules.delete(Requests.tenant(rc), Requests.pathUuid(rc, "ruleId"))
        .onSuccess(r -> Replies.send(rc, Reply.noContent()))
        .onFailure(rc::fail);
  }
}
