package io.caduceus.api.tiers;

import io.caduceus.api.error.Conflict;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.TenantRows;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Tenant exports, a background job ({@link ArchiveJobs}): every tenant table is read in one repeatable-read snapshot
 * into a {@link TenantArchive}, with the tenant's catalog entry, data keys (still wrapped by the master key) and
 * members. Offboarding exports the same way before it deletes.
 */
public final class TenantExports {

  static final String MEMBERS = """
      SELECT m.user_id, m.roles, m.patient_id, m.status, u.email, u.display_name, u.password_hash,
        u.status AS user_status
      FROM membership m
      JOIN app_user u ON u.id = m.user_id
      WHERE m.tenant_id = $1
      ORDER BY m.user_id""";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final PlaceDoor places;
  private final PlacementView placements;
  private final TenantKeyring keyring;
  private final ArchiveJobs jobs;

  public TenantExports(Vertx vertx, ControlPlane controlPlane, PlaceDoor places, PlacementView placements,
                       TenantKeyring keyring, ArchiveJobs jobs) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.places = places;
    this.placements = placements;
    this.keyring = keyring;
    this.jobs = jobs;
  }

  /** Starts an export of the tenant: the platform owner's, or a tenant admin's of their own tenant. */
  public Future<JsonObject> export(TenantContext ctx, TenantId tenantId) {
    return ArchiveJobs.mayExport(ctx, tenantId)
        .compose(v -> jobs.tenant(tenantId))
        .compose(tenant -> {
          if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new Conflict("the tenant was offboarded; its archive is that of its offboarding");
          }
          return jobs.start(ctx, tenant, "export", job -> write(tenant, job).map(job::archived));
        });
  }

  /** Writes the tenant's archive for {@code job}; its manifest. */
  Future<JsonObject> write(Tenant tenant, ArchiveJob job) {
    Path path = job.archivePath(tenant.id());
    Placement place = placements.of(tenant.id(), tenant.dataRegion());
    TenantRows rows = places.rows(place, tenant.id(), "tenant-job-" + job.id);
    TenantArchive.Writer writer = new TenantArchive.Writer(path);
    JsonObject manifest = new JsonObject().put("exportId", job.id.toString()).put("createdAt",
        Instant.now().toString());
    return job.step("read")
        .compose(v -> Future.all(catalogEntry(tenant), keyring.wrapped(tenant.id()), members(tenant.id()),
            places.regionFingerprint(tenant.dataRegion())))
        .compose(all -> {
          manifest.put("tenant", all.resultAt(0)).put("dataKeys", keys(all.resultAt(1)))
              .put("members", all.resultAt(2)).put("schemaVersion", all.<String>resultAt(3));
          return rows.tables();
        })
        .compose(tables -> {
          job.progress.put("tables", tables.size()).put("tablesDone", 0).put("rows", 0L);
          String[] current = {null};
          return rows.readAll(tables, (table, batch) -> blocking(() -> {
            if (!table.name().equals(current[0])) {
              if (current[0] != null) {
                writer.endTable();
                job.progress.put("tablesDone", job.progress.getInteger("tablesDone") + 1);
              }
              writer.startTable(table.name());
              current[0] = table.name();
            }
            writer.rows(batch);
            job.progress.put("rows", job.progress.getLong("rows") + batch.size());
          })).compose(counts -> vertx.executeBlocking(() -> {
            // Tables without rows still get their (empty) file, so the archive lists every table.
            if (current[0] != null) {
              writer.endTable();
            }
            List<String> written = new ArrayList<>();
            writer.tablesWritten().forEach(written::add);
            for (TenantRows.Table table : tables) {
              if (!written.contains(table.name())) {
                writer.startTable(table.name());
                writer.endTable();
              }
            }
            JsonObject finished = writer.finish(manifest);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            job.progress.put("tablesDone", tables.size());
            return finished;
          }, true));
        })
        .andThen(done -> {
          writer.close();
          rows.close();
        });
  }

  private Future<JsonObject> catalogEntry(Tenant t) {
    return Future.succeededFuture(new JsonObject().put("id", t.id().toString()).put("kind", t.kind().wire())
        .put("slug", t.slug()).put("name", t.name()).put("dataRegion", t.dataRegion())
        .put("isolationTier", t.tier().wire()).put("locale", t.locale()).put("timeZone", t.timeZone())
        .put("branding", t.branding()));
  }

  private static JsonArray keys(List<TenantKeyring.WrappedKey> keys) {
    JsonArray out = new JsonArray();
    keys.forEach(k -> out.add(new JsonObject().put("version", k.version())
        .put("wrapped", Base64.getEncoder().encodeToString(k.wrapped())).put("masterKeyId", k.masterKeyId())));
    return out;
  }

  private Future<JsonArray> members(TenantId tenant) {
    return controlPlane.pool().preparedQuery(MEMBERS).execute(Tuple.of(tenant.value())).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row row : rows) {
        JsonArray roles = new JsonArray();
        for (String role : row.getArrayOfStrings("roles")) {
          roles.add(role);
        }
        out.add(new JsonObject().put("userId", row.getUUID("user_id").toString()).put("email", row.getString("email"))
            .put("displayName", row.getString("display_name")).put("passwordHash", row.getString("password_hash"))
            .put("userStatus", row.getString("user_status")).put("roles", roles)
            .put("patientId", row.getUUID("patient_id") == null ? null : row.getUUID("patient_id").toString())
            .put("status", row.getString("status")));
      }
      return out;
    });
  }

  private Future<Void> blocking(ThrowingRunnable work) {
    return vertx.executeBlocking(() -> {
      work.run();
      return null;
    }, true);
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
