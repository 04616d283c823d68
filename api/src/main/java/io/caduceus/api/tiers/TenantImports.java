package io.caduceus.api.tiers;

import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Invalid;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.TenantRows;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.config.ConfigStore;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Tenant imports, a background job ({@link ArchiveJobs}): an archive is checked against its manifest, the tenant is
 * recreated with the same id in the region and tier asked for (an offboarded tenant may come back anywhere; a live
 * one is refused), its keys and members are restored, every row is written into the new place, and each table's rows
 * are checked against the manifest's digest.
 */
public final class TenantImports {

  static final String INSERT_TENANT = """
      INSERT INTO tenant
        (id, kind, slug, name, status, data_region, isolation_tier, locale, time_zone, branding)
      VALUES ($1, $2, $3, $4, 'suspended', $5, $6, $7, $8, $9)""";
  static final String REVIVE_TENANT = """
      UPDATE tenant
      SET status = 'suspended', data_region = $2, isolation_tier = $3, place_version = NULL,
        place_failure = NULL, move_state = NULL, updated_at = now(), version = version + 1
      WHERE id = $1 AND status = 'offboarded'""";
  static final String INSERT_USER = """
      INSERT INTO app_user (id, email, display_name, password_hash, status)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING""";
  static final String UPSERT_MEMBER = """
      INSERT INTO membership (user_id, tenant_id, roles, patient_id, status)
      SELECT $1, $2, $3, $4, $5
      WHERE EXISTS (SELECT 1 FROM app_user WHERE id = $1)
      ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles = EXCLUDED.roles, patient_id = EXCLUDED.patient_id,
        status = EXCLUDED.status, updated_at = now()""";
  static final String ACTIVATE = """
      UPDATE tenant
      SET status = 'active', updated_at = now(), version = version + 1
      WHERE id = $1""";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final PlaceDoor places;
  private final PlacementView placements;
  private final RegionRegistry regions;
  private final TenantKeyring keyring;
  private final Revocations revocations;
  private final ArchiveJobs jobs;

  public TenantImports(Vertx vertx, ControlPlane controlPlane, TenantCatalog catalog, PlaceDoor places,
                       PlacementView placements, RegionRegistry regions, TenantKeyring keyring,
                       Revocations revocations, ArchiveJobs jobs) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.places = places;
    this.placements = placements;
    this.regions = regions;
    this.keyring = keyring;
    this.revocations = revocations;
    this.jobs = jobs;
  }

  /** Restores an archive written by an export or offboarding job on this platform (platform owner only). */
  public Future<JsonObject> restore(TenantContext ctx, JsonObject body) {
    UUID source;
    IsolationTier tier;
    try {
      source = UUID.fromString(body.getString("archiveJobId", ""));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Invalid("/archiveJobId", "the id of an export or offboarding job"));
    }
    try {
      tier = IsolationTier.fromWire(body.getString("isolationTier", "shared"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Invalid("/isolationTier", "one of shared, schema, database"));
    }
    String region = body.getString("dataRegion");
    return ArchiveJobs.requirePlatform(ctx)
        .compose(v -> jobs.finishedArchive(source))
        .compose(archive -> {
          if (!regions.serves(region)) {
            throw new Invalid("/dataRegion", "this node does not serve that region");
          }
          return vertx.executeBlocking(() -> {
            JsonObject manifest = TenantArchive.manifest(archive);
            TenantArchive.verify(archive, manifest);
            return manifest;
          }, false).recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
              ? new Conflict("the archive is not intact: " + e.getMessage()) : e))
              .compose(manifest -> prepareRestore(manifest, region, tier).compose(tenant -> jobs.start(ctx, tenant,
                  "import", run -> restoreInto(tenant, manifest, archive, region, tier, run))));
        });
  }

  /** Creates the tenant from the manifest (or revives an offboarded one), suspended until its rows are back. */
  private Future<Tenant> prepareRestore(JsonObject manifest, String region, IsolationTier tier) {
    JsonObject t = manifest.getJsonObject("tenant");
    TenantId id = TenantId.parse(t.getString("id"));
    return catalog.findFresh(id).compose(found -> {
      if (found.isPresent() && found.get().status() != TenantStatus.OFFBOARDED) {
        return Future.failedFuture(new Conflict("the tenant exists here and still has its data; offboard it first"));
      }
      return controlPlane.inTransaction(conn -> (found.isPresent()
          ? conn.preparedQuery(REVIVE_TENANT).execute(Tuple.of(id.value(), region, tier.wire())).<Void>mapEmpty()
          : conn.preparedQuery(INSERT_TENANT).execute(Tuple.from(new Object[] {id.value(), t.getString("kind"),
              t.getString("slug"), t.getString("name"), region, tier.wire(), t.getString("locale"),
              t.getString("timeZone"), t.getJsonObject("branding")}))
              .compose(v -> ConfigStore.seedGeneral(conn, id, t.getString("locale"), t.getString("timeZone"),
                  t.getJsonObject("branding"))))
          .compose(v -> keyring.restore(conn, id, wrappedKeys(manifest)))
          .compose(v -> restoreMembers(conn, id, manifest.getJsonArray("members"))))
          .recover(e -> Future.failedFuture(ConstraintViolation.of(e, "tenant_slug_key")
              ? new Conflict("another tenant has this tenant's slug") : e))
          .compose(v -> {
            catalog.invalidate(id);
            return catalog.findFresh(id);
          })
          .map(restored -> restored.orElseThrow());
    });
  }

  private Future<JsonObject> restoreInto(Tenant tenant, JsonObject manifest, Path archive, String region,
                                         IsolationTier tier, ArchiveJob job) {
    Placement place = Placement.of(tenant.id(), region, tier);
    return job.step("prepare")
        .compose(v -> places.prepare(place))
        .compose(version -> places.recordVersion(controlPlane.pool(), tenant.id(), version))
        .compose(v -> placements.refresh())
        .compose(v -> {
          TenantRows rows = places.rows(place, tenant.id(), "tenant-job-" + job.id);
          return rows.tables().compose(tables -> {
            JsonArray listed = manifest.getJsonArray("tables");
            job.progress.put("tables", listed.size()).put("tablesDone", 0).put("rows", 0L);
            return job.step("write").compose(v2 -> writeTables(rows, tables, listed, archive, job))
                .compose(v2 -> job.step("verify"))
                .compose(v2 -> verifyRestored(rows, tables, listed, job));
          }).andThen(done -> rows.close());
        })
        .compose(v -> controlPlane.pool().preparedQuery(ACTIVATE).execute(Tuple.of(tenant.id().value())))
        .compose(v -> revocations.reactivate(tenant.id()))
        .map(v -> {
          catalog.invalidate(tenant.id());
          return job.progress.copy();
        });
  }

  private Future<Void> writeTables(TenantRows rows, List<TenantRows.Table> tables, JsonArray listed, Path archive,
                                   ArchiveJob job) {
    Future<Void> chain = Future.succeededFuture();
    for (TenantRows.Table table : tables) {
      JsonObject entry = entryOf(listed, table.name());
      if (entry == null) {
        continue;
      }
      chain = chain.compose(v -> vertx.executeBlocking(() -> {
        List<List<String>> batches = new ArrayList<>();
        TenantArchive.lines(archive, entry.getString("file"), batches::add);
        return batches;
      }, false)).compose(batches -> {
        Future<Void> inserted = Future.succeededFuture();
        for (List<String> batch : batches) {
          inserted = inserted.compose(v -> rows.insert(table, batch)).map(v -> {
            job.progress.put("rows", job.progress.getLong("rows") + batch.size());
            return (Void) null;
          });
        }
        return inserted.map(v -> {
          job.progress.put("tablesDone", job.progress.getInteger("tablesDone") + 1);
          return (Void) null;
        });
      });
    }
    return chain;
  }

  private Future<Void> verifyRestored(TenantRows rows, List<TenantRows.Table> tables, JsonArray listed,
                                      ArchiveJob job) {
    List<String> names = tables.stream().map(TenantRows.Table::name).toList();
    for (Object o : listed) {
      if (!names.contains(((JsonObject) o).getString("name"))) {
        return Future.failedFuture(new IllegalStateException("the archive has a table this schema lacks: "
            + ((JsonObject) o).getString("name")));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (TenantRows.Table table : tables) {
      JsonObject entry = entryOf(listed, table.name());
      chain = chain.compose(v -> rows.json(table)).compose(lines -> {
        TenantArchive.RowDigest digest = new TenantArchive.RowDigest();
        lines.forEach(digest::add);
        long expectedRows = entry == null ? 0 : entry.getLong("rows");
        String expectedDigest = entry == null ? new TenantArchive.RowDigest().value() : entry.getString("digest");
        if (digest.rows() != expectedRows || !digest.value().equals(expectedDigest)) {
          return Future.failedFuture(new IllegalStateException("table " + table.name()
              + " differs from the archive after the restore"));
        }
        return Future.succeededFuture();
      });
    }
    return chain.map(v -> {
      job.progress.put("verified", tables.size());
      return (Void) null;
    });
  }

  private Future<Void> restoreMembers(SqlConnection conn, TenantId tenant, JsonArray members) {
    Future<Void> chain = Future.succeededFuture();
    for (Object o : members == null ? new JsonArray() : members) {
      JsonObject m = (JsonObject) o;
      UUID user = UUID.fromString(m.getString("userId"));
      String[] roles = m.getJsonArray("roles").stream().map(Object::toString).toArray(String[]::new);
      UUID patient = m.getString("patientId") == null ? null : UUID.fromString(m.getString("patientId"));
      chain = chain.compose(v -> conn.preparedQuery(INSERT_USER).execute(Tuple.of(user, m.getString("email"),
              m.getString("displayName"), m.getString("passwordHash"), m.getString("userStatus"))))
          .compose(v -> conn.preparedQuery(UPSERT_MEMBER).execute(Tuple.of(user, tenant.value(), roles, patient,
              m.getString("status"))))
          .mapEmpty();
    }
    return chain;
  }

  private static List<TenantKeyring.WrappedKey> wrappedKeys(JsonObject manifest) {
    List<TenantKeyring.WrappedKey> keys = new ArrayList<>();
    for (Object o : manifest.getJsonArray("dataKeys", new JsonArray())) {
      JsonObject k = (JsonObject) o;
      keys.add(new TenantKeyring.WrappedKey(k.getInteger("version"), Base64.getDecoder().decode(k.getString("wrapped")),
          k.getString("masterKeyId")));
    }
    return keys;
  }

  private static JsonObject entryOf(JsonArray listed, String table) {
    for (Object o : listed) {
      if (table.equals(((JsonObject) o).getString("name"))) {
        return (JsonObject) o;
      }
    }
    return null;
  }
}
