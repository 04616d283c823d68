package io.caduceus.api.organisation;

import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.Locale;
import java.util.UUID;

/**
 * Pages of groups in name order behind the project's sealed cursors: a cursor holds the (lower-cased name, id) after
 * the page and is sealed for its tenant, its listing and its parent (a department's facility, the member or the
 * patient whose groups are listed), so another tenant's, another parent's or another listing's cursor is refused
 * (400) rather than read.
 */
final class GroupPages {

  private final TenantDb db;
  private final Cursors cursors;

  GroupPages(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** One page of the listing's groups (within {@code parent} when it has one), after {@code cursor} when given. */
  <T extends NameOrder.Listed> Future<Page<T>> page(TenantContext ctx, NameOrder<T> order, UUID parent, int limit,
                                                    String cursor) {
    JsonObject after = open(ctx, order, parent, cursor);
    return db.once(ctx, conn -> fetch(conn, ctx, order, parent, limit, after));
  }

  /** The same page read on {@code conn}, in a transaction the caller holds (after its own checks). */
  <T extends NameOrder.Listed> Future<Page<T>> page(SqlConnection conn, TenantContext ctx, NameOrder<T> order,
                                                    UUID parent, int limit, String cursor) {
    return Future.succeededFuture(cursor).map(c -> open(ctx, order, parent, c))
        .compose(after -> fetch(conn, ctx, order, parent, limit, after));
  }

  private JsonObject open(TenantContext ctx, NameOrder<?> order, UUID parent, String cursor) {
    return cursor == null ? null : cursors.open(ctx, order.listing, filters(parent), cursor);
  }

  private <T extends NameOrder.Listed> Future<Page<T>> fetch(SqlConnection conn, TenantContext ctx,
                                                             NameOrder<T> order, UUID parent, int limit,
                                                             JsonObject after) {
    return order.page(conn, parent, after == null ? null : after.getString("k"),
            after == null ? null : UUID.fromString(after.getString("id")), limit + 1)
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, order.listing, filters(parent),
            new JsonObject().put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
  }

  private static String filters(UUID parent) {
    return parent == null ? "" : parent.toString();
  }
}
