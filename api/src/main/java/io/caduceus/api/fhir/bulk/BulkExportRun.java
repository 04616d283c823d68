package io.caduceus.api.fhir.bulk;

import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.fhir.FhirPage;
import io.caduceus.api.fhir.FhirQuery;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.api.fhir.OperationOutcomes;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.quota.Bulkheads;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One run of one export job: each type's search, page by page through the registry as the requester, written as
 * NDJSON files. The run beats with every page; when its beat is refused (the job was cancelled, expired or taken
 * over by another run) it stops and writes nothing more. A type the requester may not read, or that fails, becomes
 * an OperationOutcome line of the job's error file, and the others are still exported.
 */
final class BulkExportRun {

  /** Resources per search page. */
  static final int PAGE = 100;
  /** Patient ids per compartment search. */
  static final int PATIENTS_PER_SEARCH = 50;
  /** A file is closed past this many lines or characters, and the type goes on in another. */
  static final int MAX_LINES = 10_000;
  static final int MAX_CHARS = 8_000_000;
  /** A file lists at most this many patients for the audit trail; past it, the job id is audited. */
  static final int MAX_AUDITED_PATIENTS = 1_000;
  /** How often a search waits for the tenant's bulkhead before the type is given up. */
  private static final int BUSY_RETRIES = 30;

  /** The run's beat was refused: someone else owns the job now, or nobody does. */
  static final class Superseded extends RuntimeException {
    Superseded() {
      super("the export job is no longer this run's", null, false, false);
    }
  }

  private final BulkExportStore store;
  private final FhirModel model;
  private final Vertx vertx;
  private final BulkJob job;
  private final TenantContext ctx;
  private final Map<String, FhirType> types;
  private final List<JsonObject> errors = new ArrayList<>();
  private int seq;
  private StringBuilder lines = new StringBuilder();
  private int lineCount;
  private Set<UUID> patients = new LinkedHashSet<>();
  private boolean tooManyPatients;
  private int exported;

  BulkExportRun(BulkExportStore store, FhirModel model, Vertx vertx, BulkJob job, TenantContext ctx,
                Map<String, FhirType> types) {
    this.store = store;
    this.model = model;
    this.vertx = vertx;
    this.job = job;
    this.ctx = ctx;
    this.types = new LinkedHashMap<>(types);
  }

  /** Runs the job to its end; fails with {@link Superseded} when it is no longer this run's. */
  Future<Void> run() {
    boolean system = "system".equals(job.level());
    // A system export reads the tenant type by type; a type searched only per patient is read patient by patient.
    boolean needsPatients = !system || job.types().stream().map(types::get).anyMatch(FhirType::searchNeedsPatient);
    Future<List<String>> compartment = needsPatients ? patientIds() : Future.succeededFuture(null);
    return model.ready().compose(m -> compartment).compose(ids -> {
      Future<Void> done = Future.succeededFuture();
      for (String name : job.types()) {
        FhirType type = types.get(name);
        List<String> byPatient = !system || type.searchNeedsPatient() ? ids : null;
        done = done.compose(v -> exportType(type, byPatient));
      }
      return done;
    }).compose(v -> writeErrors()).compose(v -> store.complete(ctx, job));
  }

  /** Ends the job with this error and no output: its last attempt failed too. */
  Future<Void> fail(String why) {
    errors.add(OperationOutcomes.of(500, why, null));
    return store.restart(ctx, job).compose(v -> writeErrors()).compose(v -> store.complete(ctx, job));
  }

  /** Every patient the requester may read: the compartments of a Patient or Group export. */
  private Future<List<String>> patientIds() {
    List<String> ids = new ArrayList<>();
    return pages(types.get("Patient"), Map.of(), null, page -> {
      page.matches().forEach(r -> ids.add(r.getIdElement().getIdPart()));
      return Future.succeededFuture();
    }).map(v -> ids);
  }

  private Future<Void> exportType(FhirType type, List<String> patientIds) {
    boolean sinceUnsupported = !(type instanceof BulkGroupFhir)
        && !type.searchParameterNames().contains("_lastUpdated");
    if (job.since() != null && sinceUnsupported) {
      // Exporting it whole would hand over more than _since asked for.
      errors.add(OperationOutcomes.of(400, type.name() + ": cannot be searched by _lastUpdated, so not by _since",
          null));
      return Future.succeededFuture();
    }
    Map<String, List<String>> filter = new LinkedHashMap<>();
    if (job.since() != null) {
      filter.put("_lastUpdated", List.of("ge" + job.since()));
    }
    Future<Void> done;
    if (patientIds == null || "Patient".equals(type.name())) {
      Set<String> only = patientIds == null ? null : Set.copyOf(patientIds);
      done = pages(type, filter, null, page -> write(type, page, only));
    } else {
      done = Future.succeededFuture();
      for (int from = 0; from < patientIds.size(); from += PATIENTS_PER_SEARCH) {
        List<String> chunk = patientIds.subList(from, Math.min(patientIds.size(), from + PATIENTS_PER_SEARCH));
        Map<String, List<String>> byPatient = new LinkedHashMap<>(filter);
        byPatient.put("patient", List.of(String.join(",", chunk)));
        done = done.compose(v -> pages(type, byPatient, null, page -> write(type, page, null)));
      }
    }
    return done.compose(v -> flush(type.name())).recover(e -> {
      if (e instanceof Superseded) {
        return Future.failedFuture(e);
      }
      if (e instanceof Forbidden && !typesNamed()) {
        // An export of "everything" holds what the requester may read; only a type it named is an error.
        skipped(type);
        return Future.succeededFuture();
      }
      errors.add(e instanceof DomainException d ? OperationOutcomes.of(d.status(), type.name() + ": " + d.getMessage(), null)
          : OperationOutcomes.of(500, type.name() + ": could not be exported", null));
      lines = new StringBuilder();
      lineCount = 0;
      patients = new LinkedHashSet<>();
      tooManyPatients = false;
      return Future.succeededFuture();
    });
  }

  /** Whether the kick-off named its types ({@code _type}) rather than asking for every type. */
  private boolean typesNamed() {
    return job.requestUrl() != null && (job.requestUrl().contains("?_type=") || job.requestUrl().contains("&_type="));
  }

  /** Forgets what a type had written before it was refused. */
  private void skipped(FhirType type) {
    lines = new StringBuilder();
    lineCount = 0;
    patients = new LinkedHashSet<>();
    tooManyPatients = false;
  }

  /** Every page of one search, each handed to {@code each}, beating after each page. */
  private Future<Void> pages(FhirType type, Map<String, List<String>> params, String cursor,
                             java.util.function.Function<FhirPage, Future<Void>> each) {
    FhirQuery query = new FhirQuery(params, PAGE, cursor, false, List.of(), List.of(), List.of());
    return search(type, query, BUSY_RETRIES).compose(page -> each.apply(page)
        .compose(v -> store.beat(ctx, job, type.name() + ": " + exported + " resources so far"))
        .compose(v -> page.nextCursor() == null ? Future.succeededFuture()
            : pages(type, params, page.nextCursor(), each)));
  }

  /** A search, retried a while when the tenant's database share is in use (a bulk job yields to requests). */
  private Future<FhirPage> search(FhirType type, FhirQuery query, int retries) {
    Future<FhirPage> page;
    try {
      page = type.search(ctx, query);
    } catch (RuntimeException e) {
      page = Future.failedFuture(e);
    }
    return page.recover(e -> {
      if (!(e instanceof Bulkheads.Full) || retries == 0) {
        return Future.failedFuture(e);
      }
      Promise<FhirPage> later = Promise.promise();
      vertx.setTimer(500, t -> search(type, query, retries - 1).onComplete(later));
      return later.future();
    });
  }

  /**
   * Adds a page's resources to the type's file, encoded on a worker: HAPI's first encoding of a type reads its
   * definitions, and a page of large resources is no work for an event loop.
   */
  private Future<Void> write(FhirType type, FhirPage page, Set<String> only) {
    List<IBaseResource> kept = new ArrayList<>();
    for (IBaseResource resource : page.matches()) {
      String id = resource.getIdElement().getIdPart();
      if (only != null && !only.contains(id)) {
        continue;
      }
      if ("Patient".equals(type.name())) {
        notePatient(id);
      } else {
        type.references(resource, "patient").forEach(ref -> notePatient(ref.substring(ref.lastIndexOf('/') + 1)));
      }
      kept.add(resource);
    }
    if (kept.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      var parser = model.context().newJsonParser().setPrettyPrint(false);
      StringBuilder encoded = new StringBuilder();
      kept.forEach(r -> encoded.append(parser.encodeResourceToString(r)).append('\n'));
      return encoded.toString();
    }, false).compose(encoded -> {
      lines.append(encoded);
      lineCount += kept.size();
      exported += kept.size();
      return lineCount >= MAX_LINES || lines.length() >= MAX_CHARS ? flush(type.name()) : Future.succeededFuture();
    });
  }

  private void notePatient(String id) {
    if (tooManyPatients) {
      return;
    }
    try {
      patients.add(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return;
    }
    if (patients.size() > MAX_AUDITED_PATIENTS) {
      tooManyPatients = true;
      patients.clear();
    }
  }

  /** Writes what is buffered as one file of the type (nothing if empty). */
  private Future<Void> flush(String type) {
    if (lineCount == 0) {
      return Future.succeededFuture();
    }
    String content = lines.toString();
    int count = lineCount;
    List<UUID> audited = tooManyPatients ? null : List.copyOf(patients);
    lines = new StringBuilder();
    lineCount = 0;
    patients = new LinkedHashSet<>();
    tooManyPatients = false;
    return store.file(ctx, job, type, false, ++seq, count, content, audited);
  }

  private Future<Void> writeErrors() {
    if (errors.isEmpty()) {
      return Future.succeededFuture();
    }
    StringBuilder content = new StringBuilder();
    errors.forEach(error -> content.append(error.encode()).append('\n'));
    return store.file(ctx, job, "OperationOutcome", true, ++seq, errors.size(), content.toString(), List.of());
  }
}
