package io.caduceus.api.organisation;

import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;

/**
 * Pages of a kind of group in name order behind the project's sealed cursors: a cursor holds the (lower-cased name,
 * id) after the page and is sealed for its tenant, its listing and its parent (a department's facility), so another
 * tenant's or another facility's cursor is refused (400) rather than read.
 */
final class GroupPages {

  private final TenantDb db;
  private final Cursors cursors;

  GroupPages(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** One page of {@code table}'s groups (within {@code parent} for departments), after {@code cursor} when given. */
  <T extends GroupTable.Named> Future<Page<T>> page(TenantContext ctx, GroupTable<T> table, UUID parent, int limit,
                                                    String cursor) {
    String filters = parent == null ? "" : parent.toString();
    JsonObject after = cursor == null ? null : cursors.open(ctx, table.listing, filters, cursor);
    return db.once(ctx, conn -> table.page(conn, parent, after == null ? null : after.getString("k"),
            after == null ? null : UUID.fromString(after.getString("id")), limit + 1))
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, table.listing, filters, new JsonObject()
            .put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
  }
}
