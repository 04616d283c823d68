package io.caduceus.api.fhir.bulk;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.fhir.FhirMedia;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Bulk Data export operations (HL7 Bulk Data Access IG v2): the three kick-offs, the status URL (poll and
 * cancel), the files, and the tenant's Group. Each is audited as the contract declares; the status and file URLs
 * answer only the requester.
 */
public final class BulkHandlers {

  /** Where a job's status is polled, below the facade's base. */
  static final String STATUS = "/bulk-status/";
  /** Where a job's files are downloaded, below the facade's base. */
  static final String FILES = "/bulk-files/";
  /** The media type of the files. */
  static final String NDJSON = "application/fhir+ndjson";

  private final BulkExports exports;
  private final BulkGroupFhir group;
  private final FhirModel model;
  private final ServerUrl serverUrl;

  public BulkHandlers(BulkExports exports, BulkGroupFhir group, FhirModel model, ServerUrl serverUrl) {
    this.exports = exports;
    this.group = group;
    this.model = model;
    this.serverUrl = serverUrl;
  }

  /** Binds the export operations and the Group read. */
  public void bind(Operations ops) {
    ops.bind("fhirExportSystem", rc -> kickOff(rc, "system"));
    ops.bind("fhirExportPatient", rc -> kickOff(rc, "patient"));
    ops.bind("fhirExportGroup", rc -> kickOff(rc, "group"));
    ops.bind("fhirExportStatus", this::status);
    ops.bind("fhirExportCancel", rc -> exports.cancel(Requests.tenant(rc), Requests.pathUuid(rc, "jobId"))
        .map(v -> new Reply(202, Map.of(), null)));
    ops.bindRaw("fhirExportFile", this::file);
  }

  private Future<Reply> kickOff(RoutingContext rc, String level) {
    TenantContext ctx = Requests.tenant(rc);
    String group = "group".equals(level) ? Requests.pathString(rc, "id") : null;
    BulkKickOff.Raw raw = new BulkKickOff.Raw(level, group, rc.request().getHeader("Prefer"),
        rc.request().getHeader("Accept"), rc.queryParams().get("_type"), rc.queryParams().get("_since"),
        rc.queryParams().get("_outputFormat"), serverUrl.of(rc.request()) + rc.request().uri());
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> exports.start(ctx, BulkKickOff.of(ctx, raw, exports.exportable(level))))
        .map(job -> new Reply(202, Map.of("Content-Location", base(rc) + STATUS + job.id()), null));
  }

  private Future<Reply> status(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return exports.job(ctx, Requests.pathUuid(rc, "jobId")).compose(job -> {
      if (!job.completed()) {
        return Future.succeededFuture(new Reply(202, Map.of("X-Progress", job.progress(), "Retry-After", "2"), null));
      }
      return exports.files(ctx, job).map(files -> manifest(rc, job, files));
    });
  }

  private Reply manifest(RoutingContext rc, BulkJob job, List<BulkExportRepository.FileEntry> files) {
    JsonArray output = new JsonArray();
    JsonArray error = new JsonArray();
    for (BulkExportRepository.FileEntry f : files) {
      (f.error() ? error : output).add(new JsonObject().put("type", f.type()).put("url", base(rc) + FILES + f.id())
          .put("count", f.count()));
    }
    JsonObject body = new JsonObject().put("transactionTime", job.transactionTime().toString())
        .put("request", job.requestUrl()).put("requiresAccessToken", true).put("output", output).put("error", error);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Expires", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        job.expiresAt().atOffset(java.time.ZoneOffset.UTC)));
    return new Reply(200, headers, body);
  }

  private void file(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    exports.file(ctx, Requests.pathUuid(rc, "fileId"))
        .transform(result -> Requests.audit(rc).settle(ctx, result))
        .onSuccess(content -> rc.response().putHeader("Content-Type", NDJSON).putHeader("Cache-Control", "no-store")
            .end(content).onFailure(rc::fail))
        .onFailure(rc::fail);
  }

  private String base(RoutingContext rc) {
    return serverUrl.of(rc.request()) + FhirMedia.BASE;
  }
}
