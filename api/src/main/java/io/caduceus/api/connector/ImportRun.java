package io.caduceus.api.connector;

import ca.uhn.fhir.parser.IParser;
import io.caduceus.api.connector.ImportedRecords.Remote;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/**
 * One job's walk of the remote server: each type in turn (patients first, so the others find their subject), each
 * search page by its {@code next} link, each resource on its own. A resource that cannot be held is counted and
 * reported, and the walk goes on; a page that cannot be read fails the walk.
 */
final class ImportRun {

  /** Pages read of one type at most: a server whose next links never end fails the job instead of holding it. */
  private static final int MAX_PAGES = 10_000;

  /** The types imported, in order. */
  static final List<String> TYPES = List.of("Patient", "Condition", "Observation", "MedicationRequest");

  private final RemoteFhir remote;
  private final ResourceImport resources;

  ImportRun(RemoteFhir remote, ResourceImport resources) {
    this.remote = remote;
    this.resources = resources;
  }

  /** What a walk needs: who acts, the tenant's keys, the parser, the session, and where progress goes. */
  record Walk(TenantContext ctx, TenantKeys keys, IParser parser, RemoteFhir.Session session, Connector connector,
              String since, ImportTally tally, Function<ImportTally, Future<Void>> progress) {
  }

  /** Imports every type; fails only on a transport failure. */
  Future<Void> run(Walk walk) {
    Future<Void> chain = Future.succeededFuture();
    for (String type : TYPES) {
      chain = chain.compose(v -> pages(walk, type, RemoteFhir.search(walk.session(), type, walk.since()), 1));
    }
    return chain;
  }

  private Future<Void> pages(Walk walk, String type, String url, int page) {
    if (page > MAX_PAGES) {
      return Future.failedFuture(new TransportFailure("the " + type + " search went past " + MAX_PAGES + " pages"));
    }
    return remote.page(walk.session(), url, type)
        .map(body -> bundle(walk.parser(), body, type))
        .compose(bundle -> {
          if (bundle.getMeta().getLastUpdated() != null) {
            walk.tally().searched(bundle.getMeta().getLastUpdated().toInstant().atOffset(ZoneOffset.UTC));
          }
          Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
          return entries(walk, type, bundle.getEntry(), 0)
              .compose(v -> walk.progress().apply(walk.tally()))
              .compose(v -> next == null || !next.hasUrl() ? Future.<Void>succeededFuture()
                  : pages(walk, type, next.getUrl(), page + 1));
        });
  }

  private static Bundle bundle(IParser parser, Buffer body, String type) {
    try {
      return parser.parseResource(Bundle.class, body.toString());
    } catch (RuntimeException e) {
      throw new TransportFailure("a " + type + " page is not a FHIR Bundle");
    }
  }

  private Future<Void> entries(Walk walk, String type, List<Bundle.BundleEntryComponent> entries, int from) {
    if (from >= entries.size()) {
      return Future.succeededFuture();
    }
    Resource resource = entries.get(from).getResource();
    Bundle.BundleEntrySearchComponent search = entries.get(from).getSearch();
    if (resource == null || (search.hasMode() && search.getMode() != Bundle.SearchEntryMode.MATCH)) {
      return entries(walk, type, entries, from + 1);
    }
    return one(walk, type, resource).compose(v -> entries(walk, type, entries, from + 1));
  }

  private Future<Void> one(Walk walk, String type, Resource resource) {
    String remoteId = resource.getIdElement().getIdPart();
    OffsetDateTime lastUpdated = resource.getMeta().getLastUpdated() == null ? null
        : resource.getMeta().getLastUpdated().toInstant().atOffset(ZoneOffset.UTC);
    walk.tally().seen(lastUpdated);
    if (!type.equals(resource.fhirType()) || remoteId == null || !(resource instanceof DomainResource domain)) {
      walk.tally().fail(type, remoteId, "the entry is not a " + type + " with an id");
      return Future.succeededFuture();
    }
    Remote remoteRecord = new Remote(walk.connector().id(), type, remoteId, resource.getMeta().getVersionId(),
        lastUpdated);
    return Future.<ImportTally.Outcome>succeededFuture()
        .compose(v -> resources.run(walk.ctx(), walk.keys(), walk.parser(), remoteRecord, domain))
        .transform(done -> {
          if (done.succeeded()) {
            walk.tally().count(type, done.result());
          } else {
            walk.tally().fail(type, remoteId, reason(done.cause()));
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** Why a resource failed, in words that carry none of its values. */
  private static String reason(Throwable failure) {
    if (failure instanceof ImportRefused refused) {
      return refused.getMessage();
    }
    if (failure instanceof io.caduceus.api.error.DomainException domain) {
      return "refused by the patient record's rules (" + domain.title() + ")";
    }
    return "could not be stored (" + failure.getClass().getSimpleName() + ")";
  }
}
