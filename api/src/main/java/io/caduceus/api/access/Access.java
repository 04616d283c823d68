package io.caduceus.api.access;

import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;

/** The one place services turn a missing permission into a refusal. */
public final class Access {

  private Access() {
  }

  /** A succeeded future when the actor holds the permission, a {@link Forbidden} failure otherwise. */
  public static Future<Void> check(TenantContext ctx, Permission permission) {
    return ctx.can(permission.key()) ? Future.succeededFuture()
        : Future.failedFuture(new Forbidden("your role may not do this (" + permission.key() + ")"));
  }

  /** Whether the actor holds the permission. */
  public static boolean has(TenantContext ctx, Permission permission) {
    return ctx.can(permission.key());
  }
}
