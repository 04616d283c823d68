package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code /fhir/r4} operations: {@code metadata}, and each registered type's interactions, bound by the
 * operation ids the contract gives them ({@code fhir<Type><Interaction>}). The tenant comes from the token as
 * everywhere; the audit record is the contract's declaration, completed by the services the types call.
 */
public final class FhirHandlers {

  private final FhirModel model;
  private final FhirTypes types;
  private final ServerUrl serverUrl;
  private final CapabilityStatements capabilities;
  private final Histories histories;

  public FhirHandlers(FhirModel model, FhirTypes types, ServerUrl serverUrl, Cursors cursors) {
    this.model = model;
    this.types = types;
    this.serverUrl = serverUrl;
    this.capabilities = new CapabilityStatements(types);
    this.histories = new Histories(cursors);
  }

  /** Binds the facade's operations. */
  public void bind(Operations ops) {
    ops.bind("fhirCapabilities", rc -> model.ready().map(m -> resource(m, capabilities.of(base(rc)))));
    for (FhirType type : types.all()) {
      for (FhirType.Interaction interaction : type.interactions()) {
        String operationId = "fhir" + type.name() + interaction.suffix;
        switch (interaction) {
          case READ -> ops.bind(operationId, rc -> read(rc, type));
          case VREAD -> ops.bind(operationId, rc -> model.ready()
              .compose(m -> histories.vread(rc, type).map(r -> resource(m, r))));
          case HISTORY -> ops.bind(operationId, rc -> model.ready().compose(m -> histories.history(rc, type)
              .map(page -> bundle(m, Bundles.history(base(rc), rc.queryParams(), type.name(),
                  Requests.pathString(rc, "id"), page.versions(), page.nextCursor())))));
          case SEARCH -> ops.bind(operationId, rc -> search(rc, type));
          case CREATE -> ops.bind(operationId, rc -> create(rc, type));
          case UPDATE -> ops.bind(operationId, rc -> update(rc, type));
          default -> throw new IllegalStateException("unknown interaction " + interaction);
        }
      }
    }
  }

  private Future<Reply> read(RoutingContext rc, FhirType type) {
    String id = Requests.pathString(rc, "id");
    return model.ready().compose(m -> type.read(Requests.tenant(rc), id).map(r -> resource(m, r)));
  }

  private Future<Reply> search(RoutingContext rc, FhirType type) {
    FhirQuery query = FhirQuery.of(rc.queryParams(), type.searchParameterNames());
    boolean total = FhirQuery.totalWanted(rc.queryParams());
    supported(types, type, query);
    TenantContext ctx = Requests.tenant(rc);
    return model.ready().compose(m -> type.search(ctx, query)
        .compose(page -> total && page.total() == null
            ? type.search(ctx, query.counting()).map(counted -> page.withTotal(counted.counted()))
            : Future.succeededFuture(page))
        .compose(page -> new Includes(types).of(ctx, type, query, page))
        .map(page -> bundle(m, Bundles.searchset(base(rc), rc.request(), type.name(), query, page))));
  }

  /** Refuses an {@code _include}, {@code _revinclude} or {@code _sort} the type does not declare. */
  private static void supported(FhirTypes types, FhirType type, FhirQuery query) {
    for (String include : query.include()) {
      if (!type.includes().contains(include)) {
        throw new Invalid("_include", include + " is not supported on " + type.name());
      }
    }
    for (String revinclude : query.revinclude()) {
      if (!types.revIncludesOf(type).contains(revinclude)) {
        throw new Invalid("_revinclude", revinclude + " is not supported on " + type.name());
      }
    }
    if (query.sort().size() > 1) {
      throw new Invalid("_sort", "one sort key is supported");
    }
    for (String sort : query.sort()) {
      if (!type.sorts().contains(sort)) {
        throw new Invalid("_sort", sort + " is not a supported order for " + type.name());
      }
    }
  }

  private Future<Reply> create(RoutingContext rc, FhirType type) {
    return model.ready().compose(m -> {
      IBaseResource parsed = m.parse(type.resourceClass(), body(rc));
      return type.create(Requests.tenant(rc), parsed).map(r -> {
        Reply shown = resource(m, r);
        Map<String, String> headers = new LinkedHashMap<>(shown.headers());
        headers.put("Location", base(rc) + "/" + type.name() + "/" + r.getIdElement().getIdPart()
            + "/_history/" + r.getMeta().getVersionId());
        return shown.with(201, headers);
      });
    });
  }

  private Future<Reply> update(RoutingContext rc, FhirType type) {
    String id = Requests.pathString(rc, "id");
    int version = ETags.required(rc);
    return model.ready().compose(m -> {
      IBaseResource parsed = m.parse(type.resourceClass(), body(rc));
      String bodyId = parsed.getIdElement().getIdPart();
      if (bodyId != null && !bodyId.equals(id)) {
        throw new io.caduceus.api.error.Invalid("/id", "must be the id in the URL");
      }
      return type.update(Requests.tenant(rc), id, version, parsed).map(r -> {
        Reply shown = resource(m, r);
        Map<String, String> headers = new LinkedHashMap<>(shown.headers());
        headers.put("Content-Location", base(rc) + "/" + type.name() + "/" + r.getIdElement().getIdPart()
            + "/_history/" + r.getMeta().getVersionId());
        return shown.with(200, headers);
      });
    });
  }

  private static Buffer body(RoutingContext rc) {
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    if (body == null || body.length() == 0) {
      throw new io.caduceus.api.error.Invalid("", "a FHIR resource is required");
    }
    return body;
  }

  /**
   * A resource as a 200, with its version as a weak ETag (FHIR's form) and its last change; its body is HAPI's
   * encoding, sent as is.
   */
  static Reply resource(FhirModel model, IBaseResource resource) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", FhirMedia.JSON);
    String version = resource.getMeta().getVersionId();
    if (version != null) {
      headers.put("ETag", "W/" + ETags.of(Integer.parseInt(version)));
    }
    if (resource.getMeta().getLastUpdated() != null) {
      headers.put("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
          resource.getMeta().getLastUpdated().toInstant().atOffset(java.time.ZoneOffset.UTC)));
    }
    return Reply.encoded(200, headers, model.encode(resource));
  }

  /** A Bundle as a 200, HAPI's encoding sent as is. */
  private static Reply bundle(FhirModel model, IBaseResource bundle) {
    return Reply.encoded(200, Map.of("Content-Type", FhirMedia.JSON), model.encode(bundle));
  }

  /** The facade's absolute base URL for this request. */
  private String base(RoutingContext rc) {
    return serverUrl.of(rc.request()) + FhirMedia.BASE;
  }

  /** The UUID a FHIR id names, or NotFound: an id that is no UUID names nothing here. */
  public static UUID uuid(String id, String type) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw new NotFound("no such " + type);
  }
}
