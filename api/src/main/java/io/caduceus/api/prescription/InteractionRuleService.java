package io.caduceus.api.prescription;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A pharmacy's own interaction rules: its pharmacists (and its admin) add a pair the shipped knowledge base lacks,
 * citing where it comes from, and remove it again. The interaction check applies them for that pharmacy only.
 */
public final class InteractionRuleService {

  private final TenantDb db;
  private final InteractionRuleRepository rules = new InteractionRuleRepository();
  private final Cursors cursors;

  public InteractionRuleService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** Adds a rule for one ingredient pair; the same pair twice answers 409. */
  public Future<InteractionRule> create(TenantContext ctx, JsonObject body) {
    String a = body.getString("ingredientA");
    String b = body.getString("ingredientB");
    return Access.check(ctx, Permission.INTERACTION_RULES_MANAGE)
        .compose(v -> a.equals(b) ? Future.failedFuture(new Invalid("/ingredientB", "an interaction is between two"
            + " different ingredients")) : Future.<Void>succeededFuture())
        .compose(v -> db.inTenant(ctx, conn -> rules.insert(conn, ctx, new InteractionRule(null,
                a.compareTo(b) < 0 ? a : b, a.compareTo(b) < 0 ? b : a, body.getString("severity"),
                body.getString("effect"), body.getString("management"), body.getString("source"), null, null))
            .onSuccess(r -> ctx.audit().about(r.id()))))
        .recover(failure -> ConstraintViolation.of(failure, "interaction_rule_one_per_pair")
            ? Future.failedFuture(new Conflict("this pharmacy already has a rule for this ingredient pair"))
            : Future.failedFuture(failure));
  }

  /** Removes a rule. */
  public Future<InteractionRule> delete(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.INTERACTION_RULES_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> rules.delete(conn, id)));
  }

  /** One page of the pharmacy's rules, oldest first. */
  public Future<Page<InteractionRule>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.INTERACTION_RULES_MANAGE)
        .compose(v -> {
          Position after = cursors.after(ctx, "interaction-rules", "", cursor);
          return db.once(ctx, conn -> rules.list(conn, after.at(), after.id(), limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "interaction-rules", "",
            last.createdAt(), last.id())));
  }
}
