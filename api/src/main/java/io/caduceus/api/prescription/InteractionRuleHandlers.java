package io.caduceus.api.prescription;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
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
    ops.bind("createInteractionRule", this::create);
    ops.bind("listInteractionRules", this::list);
    ops.bind("deleteInteractionRule", this::delete);
  }

  private Future<Reply> create(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> rules.create(joined, body)
        .map(r -> Reply.created("/v1/interaction-rules/" + r.id(), r.toJson())));
  }

  private Future<Reply> list(RoutingContext rc) {
    return rules.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(InteractionRule::toJson)));
  }

  private Future<Reply> delete(RoutingContext rc) {
    return rules.delete(Requests.tenant(rc), Requests.pathUuid(rc, "ruleId")).map(r -> Reply.noContent());
  }
}
