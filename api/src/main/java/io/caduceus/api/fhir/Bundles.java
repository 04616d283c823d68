package io.caduceus.api.fhir;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Search results as FHIR {@code searchset} Bundles, with {@code self} and {@code next} links. */
final class Bundles {

  private Bundles() {
  }

  /**
   * A page as a searchset: each match ({@code search.mode = match}) and each included resource ({@code include})
   * with its absolute {@code fullUrl}, then the page's warnings as one OperationOutcome ({@code outcome}); {@code next}
   * repeats the request's own parameters with the page's cursor. Under {@code _summary=count} only the total.
   */
  static Bundle searchset(String base, HttpServerRequest request, String type, FhirQuery query, FhirPage page) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    bundle.getMeta().setLastUpdated(Date.from(Instant.now()));
    if (page.total() != null || query.summaryCount()) {
      bundle.setTotal(page.counted());
    }
    String self = base + "/" + type + queryString(request, null);
    bundle.addLink().setRelation("self").setUrl(self);
    if (query.summaryCount()) {
      return bundle;
    }
    if (page.nextCursor() != null) {
      bundle.addLink().setRelation("next").setUrl(base + "/" + type + queryString(request, page.nextCursor()));
    }
    for (IBaseResource match : page.matches()) {
      entry(bundle, base, match, Bundle.SearchEntryMode.MATCH);
    }
    for (IBaseResource included : page.included()) {
      entry(bundle, base, included, Bundle.SearchEntryMode.INCLUDE);
    }
    if (!page.warnings().isEmpty()) {
      OperationOutcome outcome = new OperationOutcome();
      page.warnings().forEach(w -> outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
          .setCode(OperationOutcome.IssueType.INCOMPLETE).setDiagnostics(w));
      bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(outcome).getSearch()
          .setMode(Bundle.SearchEntryMode.OUTCOME);
    }
    return bundle;
  }

  /**
   * A page of one resource's versions as a {@code history} Bundle, newest first: each entry names the interaction
   * that made it (version 1 a create, later ones updates) and its outcome, as FHIR's history requires.
   */
  static Bundle history(String base, MultiMap query, String type, String id, List<IBaseResource> versions,
                        String nextCursor) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
    bundle.getMeta().setLastUpdated(Date.from(Instant.now()));
    String path = base + "/" + type + "/" + id + "/_history";
    bundle.addLink().setRelation("self").setUrl(path + queryString(query, null));
    if (nextCursor != null) {
      bundle.addLink().setRelation("next").setUrl(path + queryString(query, nextCursor));
    }
    for (IBaseResource version : versions) {
      Resource r = (Resource) version;
      String versionId = r.getMeta().getVersionId();
      boolean created = "1".equals(versionId);
      Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(base + "/" + type + "/" + id).setResource(r);
      entry.getRequest().setMethod(created ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
          .setUrl(created ? type : type + "/" + id);
      entry.getResponse().setStatus(created ? "201 Created" : "200 OK").setEtag("W/\"" + versionId + "\"")
          .setLastModified(r.getMeta().getLastUpdated());
    }
    return bundle;
  }

  private static void entry(Bundle bundle, String base, IBaseResource resource, Bundle.SearchEntryMode mode) {
    Resource r = (Resource) resource;
    bundle.addEntry().setFullUrl(base + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart()).setResource(r)
        .getSearch().setMode(mode);
  }

  /** The request's query string without {@code _cursor}, then with the given cursor (if any). */
  private static String queryString(HttpServerRequest request, String cursor) {
    return queryString(request.params(), cursor);
  }

  /** The parameters as a query string without {@code _cursor}, then with the given cursor (if any). */
  private static String queryString(MultiMap params, String cursor) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> param : params) {
      if (param.getKey().equals("_cursor")) {
        continue;
      }
      out.append(out.length() == 0 ? '?' : '&').append(encode(param.getKey())).append('=')
          .append(encode(param.getValue()));
    }
    if (cursor != null) {
      out.append(out.length() == 0 ? '?' : '&').append("_cursor=").append(encode(cursor));
    }
    return out.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
