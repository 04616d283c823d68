package io.caduceus.api.tiers;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.util.UUID;

/** One export, import or offboarding in progress on this node: its progress, and the archive it wrote. */
final class ArchiveJob {

  static final String STEP = "UPDATE tenant_job SET step = $2, progress = $3 WHERE id = $1";

  final UUID id;
  final JsonObject progress = new JsonObject();
  String archive;
  String sha256;

  private final ControlPlane controlPlane;
  private final Path directory;

  ArchiveJob(UUID id, ControlPlane controlPlane, Path directory) {
    this.id = id;
    this.controlPlane = controlPlane;
    this.directory = directory;
  }

  /** Records that the job reached {@code step}, with its progress so far. */
  Future<Void> step(String step) {
    return controlPlane.pool().preparedQuery(STEP).execute(Tuple.of(id, step, progress.copy())).mapEmpty();
  }

  /** Where this job writes the tenant's archive. */
  Path archivePath(TenantId tenant) {
    return directory.resolve(tenant.toString()).resolve(id + ".zip");
  }

  /** Notes the archive the manifest belongs to as this job's; the job's progress. */
  JsonObject archived(JsonObject manifest) {
    JsonObject out = progress.copy();
    Path path = archivePath(TenantId.parse(manifest.getJsonObject("tenant").getString("id")));
    archive = directory.relativize(path).toString();
    return out;
  }
}
