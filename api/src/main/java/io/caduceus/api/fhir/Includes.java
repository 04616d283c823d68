package io.caduceus.api.fhir;

import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generic {@code _include} and {@code _revinclude} of a search page. {@code _include=Src:param} follows
 * {@link FhirType#references} of each match and reads every target through its type's {@code read}, so the
 * target's permissions, projection and audit apply; a target the caller cannot find is left out.
 * {@code _revinclude=Src:param} runs {@code Src}'s own search with {@code param=id1,id2,...}, page after page, up to
 * {@link #REVINCLUDE_CAP} resources per {@code _revinclude} value; when more remain the page carries a warning (the
 * Bundle's OperationOutcome entry, {@code search.mode = outcome}) rather than dropping them silently. Every read and
 * search runs in the caller's {@link TenantContext}, so nothing of another tenant can be reached; resources are
 * deduplicated, and a match is never repeated as an include.
 */
final class Includes {

  /** The most resources one {@code _revinclude} value brings to a page of matches. */
  static final int REVINCLUDE_CAP = 1000;

  private final FhirTypes types;

  Includes(FhirTypes types) {
    this.types = types;
  }

  /** The page with what its query's {@code _include} and {@code _revinclude} bring. */
  Future<FhirPage> of(TenantContext ctx, FhirType type, FhirQuery query, FhirPage page) {
    if ((query.include().isEmpty() && query.revinclude().isEmpty()) || page.matches().isEmpty()) {
      return Future.succeededFuture(page);
    }
    Set<String> seen = new LinkedHashSet<>();
    page.matches().forEach(m -> seen.add(key(m)));
    Set<String> targets = new LinkedHashSet<>();
    for (String include : query.include()) {
      String parameter = include.substring(include.indexOf(':') + 1);
      for (IBaseResource match : page.matches()) {
        for (String reference : type.references(match, parameter)) {
          if (!seen.contains(reference)) {
            targets.add(reference);
          }
        }
      }
    }
    Map<String, IBaseResource> included = new LinkedHashMap<>();
    Future<Void> done = Future.succeededFuture();
    for (String target : targets) {
      done = done.compose(v -> read(ctx, target).map(found -> {
        if (found != null && seen.add(key(found))) {
          included.put(key(found), found);
        }
        return null;
      }));
    }
    List<String> ids = page.matches().stream().map(m -> m.getIdElement().getIdPart()).toList();
    List<String> warnings = new ArrayList<>(page.warnings());
    for (String revinclude : query.revinclude()) {
      FhirType source = types.find(revinclude.substring(0, revinclude.indexOf(':'))).orElseThrow();
      String parameter = revinclude.substring(revinclude.indexOf(':') + 1);
      Map<String, List<String>> params = Map.of(parameter, List.of(String.join(",", ids)));
      done = done.compose(v -> reverse(ctx, source, params, null, 0, seen, included)).map(truncated -> {
        if (truncated) {
          warnings.add("results of _revinclude=" + revinclude + " truncated at " + REVINCLUDE_CAP);
        }
        return null;
      });
    }
    return done.map(v -> {
      List<IBaseResource> all = new ArrayList<>(page.included());
      all.addAll(included.values());
      return new FhirPage(page.matches(), all, page.nextCursor(), page.total(), warnings);
    });
  }

  /**
   * The source's search pages from {@code cursor} on, added to {@code included} until {@link #REVINCLUDE_CAP} have
   * been read for this value; true when the cap left some out.
   */
  private Future<Boolean> reverse(TenantContext ctx, FhirType source, Map<String, List<String>> params, String cursor,
                                  int read, Set<String> seen, Map<String, IBaseResource> included) {
    int size = Math.min(FhirQuery.MAX_COUNT, REVINCLUDE_CAP - read);
    FhirQuery query = new FhirQuery(params, size, cursor, false, List.of(), List.of(), List.of());
    return source.search(ctx, query).compose(found -> {
      for (IBaseResource r : found.matches()) {
        if (seen.add(key(r))) {
          included.put(key(r), r);
        }
      }
      int now = read + found.matches().size();
      if (found.nextCursor() == null) {
        return Future.succeededFuture(false);
      }
      return now >= REVINCLUDE_CAP ? Future.succeededFuture(true)
          : reverse(ctx, source, params, found.nextCursor(), now, seen, included);
    });
  }

  /** A reference's target through its type's read, or null when it is not there for the caller. */
  private Future<IBaseResource> read(TenantContext ctx, String reference) {
    String[] parts = reference.split("/");
    if (parts.length != 2) {
      return Future.succeededFuture(null);
    }
    return types.find(parts[0]).filter(t -> t.interactions().contains(FhirType.Interaction.READ))
        .map(t -> t.read(ctx, parts[1]).<IBaseResource>map(r -> r)
            .recover(e -> e instanceof NotFound ? Future.succeededFuture(null) : Future.failedFuture(e)))
        .orElse(Future.succeededFuture(null));
  }

  private static String key(IBaseResource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }
}
