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
  /** A file lists at most this many patients for the audit trail; past it, the job id is audited. */
  static final int MAX_AUDITED_PATIENTS = 1_000;
  /** How often a search waits for the tenant's bulkhead before the type is given up. */
  private static final int BUSY_RETRIES = 30;

  /** The job holds as many resources as a job may: it ends here, with an error entry saying so. */
  static final class CapReached extends RuntimeException {
    CapReached() {
      super("the export reached its resource cap", null, false, false);
    }
  }

  /** One file's worth of lines, cut from the buffer: its content, its line count, its patients (null: too many). */
  private record Chunk(String content, int lines, List<UUID> patients) {
  }

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
  private final BulkLimits limits;
  private final List<JsonObject> errors = new ArrayList<>();
  private int seq;
  private StringBuilder lines = new StringBuilder();
  private int lineCount;
  private Set<UUID> patients = new LinkedHashSet<>();
  private boolean tooManyPatients;
  private int exported;

  BulkExportRun(BulkExportStore store, FhirModel model, Vertx vertx, BulkJob job, TenantContext ctx,
                Map<String, FhirType> types, BulkLimits limits) {
    this.store = store;
    this.model = model;
    this.vertx = vertx;
    this.job = job;
    this.ctx = ctx;
    this.types = new LinkedHashMap<>(types);
    this.limits = limits;
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
    }).recover(e -> e instanceof CapReached ? Future.succeededFuture() : Future.failedFuture(e))
        .compose(v -> writeErrors()).compose(v -> store.complete(ctx, job));
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
      if (e instanceof Superseded || e instanceof CapReached) {
        return Future.failedFuture(e);
      }
      if (e instanceof Forbidden && !typesNamed()) {
        // An export of "everything" holds what the requester may read; only a type it named is an error.
        reset();
        return Future.succeededFuture();
      }
      errors.add(e instanceof DomainException d ? OperationOutcomes.of(d.status(), type.name() + ": " + d.getMessage(), null)
          : OperationOutcomes.of(500, type.name() + ": could not be exported", null));
      reset();
      return Future.succeededFuture();
    });
  }

  /** Whether the kick-off named its types ({@code _type}) rather than asking for every type. */
  private boolean typesNamed() {
    return job.requestUrl() != null && (job.requestUrl().contains("?_type=") || job.requestUrl().contains("&_type="));
  }

  /** Empties the buffer: what a type had buffered before it was refused, or what was just cut into a file. */
  private void reset() {
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
   * Adds a page's resources to the type's files, encoded on a worker: HAPI's first encoding of a type reads its
   * definitions, and a page of large resources is no work for an event loop.
   */
  private Future<Void> write(FhirType type, FhirPage page, Set<String> only) {
    List<IBaseResource> kept = new ArrayList<>();
    List<List<String>> patientsOf = new ArrayList<>();
    for (IBaseResource resource : page.matches()) {
      String id = resource.getIdElement().getIdPart();
      if (only != null && !only.contains(id)) {
        continue;
      }
      kept.add(resource);
      patientsOf.add("Patient".equals(type.name()) ? List.of(id) : type.references(resource, "patient").stream()
          .map(ref -> ref.substring(ref.lastIndexOf('/') + 1)).toList());
    }
    if (kept.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      var parser = model.context().newJsonParser().setPrettyPrint(false);
      return kept.stream().map(parser::encodeResourceToString).toList();
    }, false).compose(encoded -> append(type.name(), encoded, patientsOf));
  }

  /**
   * Adds encoded resources to the buffer, cutting a file whenever the next line would pass the characters a file may
   * hold or the buffer holds the resources a file may; at the job's cap it writes what it holds and ends the job.
   */
  private Future<Void> append(String type, List<String> encoded, List<List<String>> patientsOf) {
    List<Chunk> chunks = new ArrayList<>();
    boolean capped = false;
    for (int i = 0; i < encoded.size(); i++) {
      if (exported >= limits.resourcesPerJob()) {
        capped = true;
        break;
      }
      String line = encoded.get(i);
      if (lineCount > 0 && lines.length() + line.length() + 1 > limits.charsPerFile()) {
        chunks.add(cut());
      }
      lines.append(line).append('\n');
      patientsOf.get(i).forEach(this::notePatient);
      lineCount++;
      exported++;
      if (lineCount >= limits.resourcesPerFile()) {
        chunks.add(cut());
      }
    }
    Future<Void> written = Future.succeededFuture();
    for (Chunk chunk : chunks) {
      written = written.compose(v -> writeFile(type, chunk));
    }
    if (!capped) {
      return written;
    }
    errors.add(OperationOutcomes.of(413, "the export reached its limit of " + limits.resourcesPerJob()
        + " resources and holds only those: narrow it with _type or _since", null));
    return written.compose(v -> flush(type)).compose(v -> Future.failedFuture(new CapReached()));
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

  /** Takes what is buffered as one file's content, and empties the buffer. */
  private Chunk cut() {
    Chunk chunk = new Chunk(lines.toString(), lineCount, tooManyPatients ? null : List.copyOf(patients));
    reset();
    return chunk;
  }

  /** Writes what is buffered as one file of the type (nothing if empty). */
  private Future<Void> flush(String type) {
    return lineCount == 0 ? Future.succeededFuture() : writeFile(type, cut());
  }

  private Future<Void> writeFile(String type, Chunk chunk) {
    return store.file(ctx, job, type, false, ++seq, chunk.lines(), chunk.content(), chunk.patients());
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
