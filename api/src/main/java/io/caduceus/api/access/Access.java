package io.caduceus.api.access;

import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;

/** The one place services turn a missing permission into a refusal. */
public final class Access {

  private Access() {
  }

  /**
   * A succeeded future when the actor holds the permission; a step-up refusal (401) when they would but this
   * step-up operation's token has no recent second factor ({@link StepUp}); a {@link Forbidden} failure otherwise.
   */
  public static Future<Void> check(TenantContext ctx, Permission permission) {
    if (ctx.can(permission.key())) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(StepUp.pending(ctx, permission) ? StepUp.required()
        : new Forbidden("your role may not do this (" + permission.key() + ")"));
  }

  /** Whether the actor holds the permission. */
  public static boolean has(TenantContext ctx, Permission permission) {
    return ctx.can(permission.key());
  }
}
