package io.caduceus.api.tiers;

import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.Placement;
import io.caduceus.routing.Placements;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Per-tenant backup, restore and offboarding, each a background job with progress ({@code tenant_job}).
 *
 * <ul>
 *   <li><b>Export</b> reads every tenant table in one repeatable-read snapshot into a {@link TenantArchive}, with the
 *   tenant's catalog entry, data keys (still wrapped by the master key) and members.</li>
 *   <li><b>Import</b> checks an archive against its manifest, recreates the tenant with the same id in the region
 *   and tier asked for (an offboarded tenant may come back anywhere; a live one is refused), restores its keys and
 *   members, writes every row into the new place, and checks each table's rows against the manifest's digest.</li>
 *   <li><b>Offboarding</b> suspends the tenant (its sessions end), exports it, deletes its rows (or drops its schema
 *   or database), checks nothing is left, and destroys its data keys. Whatever was sealed under them, in any leftover
 *   copy anywhere (a database backup, a replica, a stray export), can no longer be opened.</li>
 * </ul>
 *
 * <p>Archives are kept under the node's data directory, readable only by the server's user. They hold PHI: keep that
 * directory on encrypted storage, and delete an archive once it has been handed over.
 */
public final class TenantArchives {

  private static final Logger LOG = LoggerFactory.getLogger(TenantArchives.class);

  static final String COLUMNS = "id, tenant_id, kind, state, step, progress, archive, sha256, failure, started_at,"
      + " finished_at";
  static final String START = "INSERT INTO tenant_job (id, tenant_id, kind, state, step, requested_by)"
      + " VALUES ($1, $2, $3, 'running', 'start', $4) RETURNING " + COLUMNS;
  static final String FIND = "SELECT " + COLUMNS + " FROM tenant_job WHERE id = $1";
  static final String STEP = "UPDATE tenant_job SET step = $2, progress = $3 WHERE id = $1";
  static final String FINISH = "UPDATE tenant_job SET state = $2, step = $3, progress = $4, failure = $5,"
      + " archive = coalesce($6, archive), sha256 = coalesce($7, sha256), finished_at = now() WHERE id = $1";
  static final String MEMBERS = "SELECT m.user_id, m.roles, m.patient_id, m.status, u.email, u.display_name,"
      + " u.password_hash, u.status AS user_status FROM membership m JOIN app_user u ON u.id = m.user_id"
      + " WHERE m.tenant_id = $1 ORDER BY m.user_id";
  static final String INSERT_TENANT = "INSERT INTO tenant (id, kind, slug, name, status, data_region, isolation_tier,"
      + " locale, time_zone, branding) VALUES ($1, $2, $3, $4, 'suspended', $5, $6, $7, $8, $9)";
  static final String REVIVE_TENANT = "UPDATE tenant SET status = 'suspended', data_region = $2, isolation_tier = $3,"
      + " place_version = NULL, place_failure = NULL, move_state = NULL, updated_at = now(), version = version + 1"
      + " WHERE id = $1 AND status = 'offboarded'";
  static final String INSERT_USER = "INSERT INTO app_user (id, email, display_name, password_hash, status)"
      + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
  static final String UPSERT_MEMBER = "INSERT INTO membership (user_id, tenant_id, roles, patient_id, status)"
      + " SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM app_user WHERE id = $1)"
      + " ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles = EXCLUDED.roles, patient_id = EXCLUDED.patient_id,"
      + " status = EXCLUDED.status, updated_at = now()";
  static final String OFFBOARDED = "UPDATE tenant SET status = 'offboarded', isolation_tier = 'shared',"
      + " place_version = NULL, move_state = NULL, updated_at = now(), version = version + 1 WHERE id = $1";
  static final String ACTIVATE = "UPDATE tenant SET status = 'active', updated_at = now(), version = version + 1"
      + " WHERE id = $1";

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final Places places;
  private final Placements placements;
  private final RegionRegistry regions;
  private final TenantKeyring keyring;
  private final Revocations revocations;
  private final AuthService auth;
  private final AuditTrail audit;
  private final Path directory;
  private final Duration settle;

  public TenantArchives(Vertx vertx, ControlPlane controlPlane, TenantCatalog catalog, Places places,
                        Placements placements, RegionRegistry regions, TenantKeyring keyring, Revocations revocations,
                        AuthService auth, AuditTrail audit, Path directory, Duration settle) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.places = places;
    this.placements = placements;
    this.regions = regions;
    this.keyring = keyring;
    this.revocations = revocations;
    this.auth = auth;
    this.audit = audit;
    this.directory = directory;
    this.settle = settle;
  }

  /** Starts an export of the tenant: the platform owner's, or a tenant admin's of their own tenant. */
  public Future<JsonObject> export(TenantContext ctx, TenantId tenantId) {
    return mayExport(ctx, tenantId)
        .compose(v -> tenant(tenantId))
        .compose(tenant -> {
          if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new Conflict("the tenant was offboarded; its archive is that of its offboarding");
          }
          return startJob(ctx, tenant, "export", job -> exportTo(tenant, job, archivePath(tenant.id(), job.id))
              .map(job::archived));
        })
        .transform(result -> audit.recordChange(ctx, event("tenant.export", tenantId), result));
  }

  /** Offboards the tenant (platform owner only): export, delete its data, destroy its keys. */
  public Future<JsonObject> offboard(TenantContext ctx, TenantId tenantId) {
    return requirePlatform(ctx)
        .compose(v -> tenant(tenantId))
        .compose(tenant -> {
          if (tenant.id().equals(ctx.tenantId())) {
            throw new Conflict("the platform cannot offboard itself");
          }
          if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new Conflict("the tenant is already offboarded");
          }
          return startJob(ctx, tenant, "offboard", job -> offboard(tenant, job));
        })
        .transform(result -> audit.recordChange(ctx, event("tenant.offboard", tenantId), result));
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
    return requirePlatform(ctx)
        .compose(v -> controlPlane.pool().preparedQuery(FIND).execute(Tuple.of(source)))
        .compose(rows -> {
          Row job = rows.size() == 0 ? null : rows.iterator().next();
          if (job == null || job.getString("archive") == null || !"succeeded".equals(job.getString("state"))) {
            throw new NotFound("no finished export or offboarding with an archive has this id");
          }
          if (!regions.serves(region)) {
            throw new Invalid("/dataRegion", "this node does not serve that region");
          }
          Path archive = directory.resolve(job.getString("archive"));
          return vertx.executeBlocking(() -> {
            JsonObject manifest = TenantArchive.manifest(archive);
            TenantArchive.verify(archive, manifest);
            return manifest;
          }, false).recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
              ? new Conflict("the archive is not intact: " + e.getMessage()) : e))
              .compose(manifest -> prepareRestore(manifest, region, tier).compose(tenant -> startJob(ctx, tenant,
                  "import", run -> restoreInto(tenant, manifest, archive, region, tier, run))));
        })
        .transform(result -> audit.recordChange(ctx, event("tenant.import", null), result));
  }

  /** One job, for the platform owner or the tenant's own admin. */
  public Future<JsonObject> job(TenantContext ctx, TenantId tenantId, UUID jobId) {
    return mayExport(ctx, tenantId).compose(v -> findJob(tenantId, jobId)).map(TenantJobs::json);
  }

  /** Where a finished job's archive is, after checking the caller may have it; audited. */
  public Future<Path> archive(TenantContext ctx, TenantId tenantId, UUID jobId) {
    return mayExport(ctx, tenantId).compose(v -> findJob(tenantId, jobId)).map(row -> {
      if (row.getString("archive") == null || !"succeeded".equals(row.getString("state"))) {
        throw new NotFound("this job has no archive");
      }
      return directory.resolve(row.getString("archive"));
    }).transform(result -> audit.recordChange(ctx, event("tenant.export.download", tenantId), result));
  }

  private Future<Row> findJob(TenantId tenantId, UUID jobId) {
    return controlPlane.pool().preparedQuery(FIND).execute(Tuple.of(jobId)).map(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      if (row == null || !row.getUUID("tenant_id").equals(tenantId.value())) {
        throw new NotFound("no such job");
      }
      return row;
    });
  }

  // ---- export ----------------------------------------------------------------------------------------------------

  private Future<JsonObject> exportTo(Tenant tenant, Job job, Path path) {
    Placement place = placements.of(tenant.id(), tenant.dataRegion());
    Pool pool = places.ownerPool(place, "tenant-job-" + job.id);
    TenantRows rows = new TenantRows(pool, place, tenant.id());
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
          })).compose(counts -> blocking(() -> {
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
          }));
        })
        .andThen(done -> {
          writer.close();
          pool.close();
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

  // ---- offboarding -----------------------------------------------------------------------------------------------

  private Future<JsonObject> offboard(Tenant tenant, Job job) {
    Placement place = placements.of(tenant.id(), tenant.dataRegion());
    Path path = archivePath(tenant.id(), job.id);
    return job.step("suspend")
        .compose(v -> catalog.transition(tenant.id(), Set.of(TenantStatus.ACTIVE, TenantStatus.PENDING,
            TenantStatus.SUSPENDED), TenantStatus.SUSPENDED))
        .compose(v -> revocations.suspend(tenant.id()))
        .compose(v -> auth.endTenant(tenant.id(), "tenant offboarded"))
        .compose(v -> TenantJobs.after(vertx, settle))
        .compose(v -> job.step("export"))
        .compose(v -> exportTo(tenant, job, path))
        .compose(manifest -> job.step("delete").compose(v -> deleteData(tenant, place, job)).map(manifest))
        .compose(manifest -> job.step("shred").compose(v -> keyring.destroy(tenant.id())).map(destroyed -> {
          job.progress.put("keysDestroyed", destroyed);
          return manifest;
        }))
        .compose(manifest -> controlPlane.pool().preparedQuery(OFFBOARDED).execute(Tuple.of(tenant.id().value()))
            .compose(v -> {
              catalog.invalidate(tenant.id());
              return placements.refresh();
            })
            .map(v -> job.archived(manifest)));
  }

  private Future<Void> deleteData(Tenant tenant, Placement place, Job job) {
    if (place.tier() != IsolationTier.SHARED) {
      return places.drop(place).map(v -> {
        job.progress.put("deleted", "dropped the tenant's " + place.tier().wire());
        return (Void) null;
      });
    }
    Pool pool = places.ownerPool(place, "tenant-job-" + job.id);
    TenantRows rows = new TenantRows(pool, place, tenant.id());
    return rows.tables().compose(tables -> rows.deleteAll(tables).compose(deleted -> {
      job.progress.put("deleted", deleted);
      List<Future<TenantRows.Tally>> left = new ArrayList<>();
      tables.forEach(table -> left.add(rows.tally(table)));
      return Future.all(left).compose(v -> left.stream().allMatch(t -> t.result().rows() == 0)
          ? Future.<Void>succeededFuture()
          : Future.<Void>failedFuture(new IllegalStateException("rows of the tenant remain after deletion")));
    })).andThen(done -> pool.close());
  }

  // ---- import ----------------------------------------------------------------------------------------------------

  /** Creates the tenant from the manifest (or revives an offboarded one), suspended until its rows are back. */
  private Future<Tenant> prepareRestore(JsonObject manifest, String region, IsolationTier tier) {
    JsonObject t = manifest.getJsonObject("tenant");
    TenantId id = TenantId.parse(t.getString("id"));
    return catalog.findFresh(id).compose(found -> {
      if (found.isPresent() && found.get().status() != TenantStatus.OFFBOARDED) {
        return Future.failedFuture(new Conflict("the tenant exists here and still has its data; offboard it first"));
      }
      return controlPlane.inTransaction(conn -> (found.isPresent()
          ? conn.preparedQuery(REVIVE_TENANT).execute(Tuple.of(id.value(), region, tier.wire()))
          : conn.preparedQuery(INSERT_TENANT).execute(Tuple.from(new Object[] {id.value(), t.getString("kind"),
              t.getString("slug"), t.getString("name"), region, tier.wire(), t.getString("locale"),
              t.getString("timeZone"), t.getJsonObject("branding")})))
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
                                         IsolationTier tier, Job job) {
    Placement place = Placement.of(tenant.id(), region, tier);
    return job.step("prepare")
        .compose(v -> places.prepare(place))
        .compose(version -> places.recordVersion(controlPlane.pool(), tenant.id(), version))
        .compose(v -> placements.refresh())
        .compose(v -> {
          Pool pool = places.ownerPool(place, "tenant-job-" + job.id);
          TenantRows rows = new TenantRows(pool, place, tenant.id());
          return rows.tables().compose(tables -> {
            JsonArray listed = manifest.getJsonArray("tables");
            job.progress.put("tables", listed.size()).put("tablesDone", 0).put("rows", 0L);
            return job.step("write").compose(v2 -> writeTables(rows, tables, listed, archive, job))
                .compose(v2 -> job.step("verify"))
                .compose(v2 -> verifyRestored(rows, tables, listed, job));
          }).andThen(done -> pool.close());
        })
        .compose(v -> controlPlane.pool().preparedQuery(ACTIVATE).execute(Tuple.of(tenant.id().value())))
        .compose(v -> revocations.reactivate(tenant.id()))
        .map(v -> {
          catalog.invalidate(tenant.id());
          return job.progress.copy();
        });
  }

  private Future<Void> writeTables(TenantRows rows, List<TenantRows.Table> tables, JsonArray listed, Path archive,
                                   Job job) {
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

  private Future<Void> verifyRestored(TenantRows rows, List<TenantRows.Table> tables, JsonArray listed, Job job) {
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

  // ---- jobs ------------------------------------------------------------------------------------------------------

  /** A job in progress on this node. */
  private final class Job {
    final UUID id;
    final JsonObject progress = new JsonObject();
    String archive;
    String sha256;

    Job(UUID id) {
      this.id = id;
    }

    Future<Void> step(String step) {
      return controlPlane.pool().preparedQuery(STEP).execute(Tuple.of(id, step, progress.copy())).mapEmpty();
    }

    JsonObject archived(JsonObject manifest) {
      JsonObject out = progress.copy();
      Path path = archivePath(TenantId.parse(manifest.getJsonObject("tenant").getString("id")), id);
      archive = directory.relativize(path).toString();
      return out;
    }
  }

  private Future<JsonObject> startJob(TenantContext ctx, Tenant tenant, String kind,
                                      Function<Job, Future<JsonObject>> work) {
    UUID id = UuidV7.next();
    return controlPlane.pool().preparedQuery(START).execute(Tuple.of(id, tenant.id().value(), kind, ctx.userId()))
        .recover(e -> Future.failedFuture(ConstraintViolation.of(e, "tenant_job_running")
            ? new Conflict("an import or offboarding of this tenant is already running") : e))
        .map(rows -> {
          Job job = new Job(id);
          LOG.info("tenant {} job {} started", kind, id);
          work.apply(job)
              .compose(done -> job.archive == null ? Future.succeededFuture(done)
                  : blocking(() -> TenantArchive.sha256(directory.resolve(job.archive))).map(sum -> {
                    job.sha256 = sum;
                    return done;
                  }))
              .onComplete(done -> finish(job, kind, done.failed() ? done.cause() : null));
          return TenantJobs.json(rows.iterator().next());
        });
  }

  private void finish(Job job, String kind, Throwable failure) {
    if (failure == null) {
      LOG.info("tenant {} job {} succeeded", kind, job.id);
    } else {
      LOG.warn("tenant {} job {} failed: {}", kind, job.id, TenantJobs.reason(failure));
    }
    controlPlane.pool().preparedQuery(FINISH).execute(Tuple.from(new Object[] {job.id,
            failure == null ? "succeeded" : "failed", failure == null ? "done" : "stopped", job.progress.copy(),
            failure == null ? null : TenantJobs.reason(failure), job.archive, job.sha256}))
        .onFailure(e -> LOG.warn("tenant {} job {} could not record its end", kind, job.id));
  }


  // ---- helpers ---------------------------------------------------------------------------------------------------

  private Future<Void> mayExport(TenantContext ctx, TenantId tenantId) {
    if (ctx.can(Permission.PLATFORM_TENANTS_MANAGE.key())
        || (ctx.can(Permission.TENANT_EXPORT.key()) && ctx.tenantId().equals(tenantId))) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new Forbidden("exporting a tenant takes the platform owner or its own admin"));
  }

  private static Future<Void> requirePlatform(TenantContext ctx) {
    return ctx.can(Permission.PLATFORM_TENANTS_MANAGE.key()) ? Future.succeededFuture()
        : Future.failedFuture(new Forbidden("this takes the platform owner"));
  }

  private Future<Tenant> tenant(TenantId id) {
    return catalog.findFresh(id).map(found -> {
      Tenant tenant = found.orElseThrow(() -> new NotFound("no such tenant"));
      if (!regions.serves(tenant.dataRegion())) {
        throw new Conflict("the tenant's region is served by other nodes; ask one of them");
      }
      return tenant;
    });
  }

  private Path archivePath(TenantId tenant, UUID job) {
    return directory.resolve(tenant.toString()).resolve(job + ".zip");
  }


  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, true);
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


  private static AuditEvent event(String action, TenantId tenant) {
    UUID id = tenant == null ? null : tenant.value();
    return new AuditEvent(action, "tenant", id, List.of(), AuditEvent.Outcome.SUCCESS, id);
  }

}
