package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;


/**
 * The clinic's fee schedule: the price of each CPT code it bills, in one currency per code. Charges are priced
 * from it when they are generated, so a later change of fee does not reprice charges already made.
 */
public final class FeeService {

  private final TenantDb db;
  private final Cursors cursors;
  private final FeeRepository fees = new FeeRepository();

  /** A fee as set, and whether this call created it. */
  public record Fee(JsonObject json, boolean created) {
  }

  public FeeService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** One page of the schedule, by code. */
  public Future<Page<JsonObject>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.FEES_MANAGE)
        .compose(v -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "fees", "", cursor);
          return db.once(ctx, conn -> fees.list(conn, after == null ? null : after.getString("code"), limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "fees", "",
            new JsonObject().put("code", last.getString("cptCode")))));
  }

  /** Sets the fee of a code, creating or replacing it. */
  public Future<Fee> put(TenantContext ctx, String cptCode, JsonObject body) {
    return Access.check(ctx, Permission.FEES_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> fees.put(conn, ctx, cptCode, body.getString("display"),
            body.getLong("amountCents"), body.getString("currency"))));
  }

  /** Takes a code off the schedule; charges already priced from it keep their price. */
  public Future<Void> remove(TenantContext ctx, String cptCode) {
    return Access.check(ctx, Permission.FEES_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> fees.delete(conn, cptCode)
            .compose(deleted -> deleted ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("the schedule has no fee for " + cptCode)))));
  }
}
