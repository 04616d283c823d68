package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.http.Requests;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The version interactions of a type, {@code vread} ({@code GET [type]/[id]/_history/[vid]}) and
 * {@code history-instance} ({@code GET [type]/[id]/_history}): each version is shown by the type exactly as its read
 * shows the current one, so permissions, projection and audit are the read's. A history page is newest first; its
 * {@code next} link carries a sealed cursor (the last version shown) bound to the tenant, the resource and
 * {@code _since}.
 */
final class Histories {

  private static final String LISTING = "fhir-history";
  private static final Set<String> PARAMETERS = Set.of("_count", "_since", "_cursor", "_format", "_pretty");

  private final Cursors cursors;

  Histories(Cursors cursors) {
    this.cursors = cursors;
  }

  /** {@code vread}: a version id that is no version number answers 400, one the resource never had 404. */
  Future<IBaseResource> vread(RoutingContext rc, FhirType type) {
    String id = Requests.pathString(rc, "id");
    String vid = Requests.pathString(rc, "vid");
    int version;
    try {
      version = Integer.parseInt(vid);
    } catch (NumberFormatException e) {
      throw new Invalid("vid", "is a version number");
    }
    if (version < 1) {
      throw new Invalid("vid", "is a version number (1 or more)");
    }
    return type.vread(Requests.tenant(rc), id, version);
  }

  /** {@code history-instance}: one page of the resource's versions, newest first, as a history Bundle. */
  Future<Bundle> history(RoutingContext rc, FhirType type) {
    MultiMap params = rc.queryParams();
    for (String name : params.names()) {
      if (!PARAMETERS.contains(name)) {
        throw new Invalid(name, "is not a parameter of history (_count, _since)");
      }
    }
    String id = Requests.pathString(rc, "id");
    int count = count(params.get("_count"));
    Instant since = since(params.get("_since"));
    TenantContext ctx = Requests.tenant(rc);
    String filters = type.name() + "/" + id + "|" + (since == null ? "" : since.toString());
    String cursor = params.get("_cursor");
    Integer below = cursor == null ? null : cursors.open(ctx, LISTING, filters, cursor).getInteger("v");
    if (cursor != null && below == null) {
      throw new Invalid("_cursor", "not a cursor of this listing; start again without it");
    }
    return type.history(ctx, id, VersionRange.page(below, since, count + 1)).map(found -> {
      List<IBaseResource> shown = found.size() > count ? found.subList(0, count) : found;
      String next = found.size() > count ? cursors.seal(ctx, LISTING, filters, new JsonObject()
          .put("v", Integer.parseInt(shown.get(shown.size() - 1).getMeta().getVersionId()))) : null;
      return new Bundle(shown, next);
    });
  }

  /** A page of versions and the cursor to the next one (null at the end). */
  record Bundle(List<IBaseResource> versions, String nextCursor) {
  }

  private static int count(String text) {
    if (text == null) {
      return FhirQuery.DEFAULT_COUNT;
    }
    try {
      int count = Integer.parseInt(text);
      if (count < 1) {
        throw new Invalid("_count", "must be 1 or more");
      }
      return Math.min(count, FhirQuery.MAX_COUNT);
    } catch (NumberFormatException e) {
      throw new Invalid("_count", "is not a whole number");
    }
  }

  private static Instant since(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid("_since", "is a FHIR instant, e.g. 2026-01-31T09:00:00Z");
    }
  }
}
