package io.caduceus.api.tiers;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Where tenants' data lives and how it leaves: tier moves, upgrades of tenant schemas and databases, exports,
 * restores and offboarding.
 */
public final class TierHandlers {

  private final TierMoves moves;
  private final PlaceUpgrades upgrades;
  private final TenantExports exports;
  private final TenantOffboarding offboarding;
  private final TenantImports imports;
  private final ArchiveJobs jobs;

  public TierHandlers(TierMoves moves, PlaceUpgrades upgrades, TenantExports exports, TenantOffboarding offboarding,
                      TenantImports imports, ArchiveJobs jobs) {
    this.moves = moves;
    this.upgrades = upgrades;
    this.exports = exports;
    this.offboarding = offboarding;
    this.imports = imports;
    this.jobs = jobs;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("moveTenant", rc -> {
      TenantId tenant = new TenantId(Requests.pathUuid(rc, "tenantId"));
      moves.start(Requests.tenant(rc), tenant, Requests.body(rc))
          .onSuccess(move -> Replies.send(rc, Reply.accepted(move, "/v1/platform/tenants/" + tenant + "/moves/"
              + move.getString("id"))))
          .onFailure(rc::fail);
    });
    ops.bindRaw("getTenantMove", rc -> moves.get(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")),
            Requests.pathUuid(rc, "moveId"))
        .onSuccess(move -> Replies.send(rc, Reply.ok(move)))
        .onFailure(rc::fail));
    ops.bindRaw("getTenantPlaces", rc -> upgrades.status(Requests.tenant(rc))
        .onSuccess(status -> Replies.send(rc, Reply.ok(status)))
        .onFailure(rc::fail));
    for (String op : new String[] {"exportTenant", "exportOwnTenant"}) {
      ops.bindRaw(op, rc -> {
        TenantId tenant = new TenantId(Requests.pathUuid(rc, "tenantId"));
        exports.export(Requests.tenant(rc), tenant)
            .onSuccess(job -> Replies.send(rc, Reply.accepted(job, jobPath(rc, tenant, job))))
            .onFailure(rc::fail);
      });
    }
    ops.bindRaw("offboardTenant", rc -> {
      TenantId tenant = new TenantId(Requests.pathUuid(rc, "tenantId"));
      offboarding.offboard(Requests.tenant(rc), tenant)
          .onSuccess(job -> Replies.send(rc, Reply.accepted(job, jobPath(rc, tenant, job))))
          .onFailure(rc::fail);
    });
    ops.bindRaw("importTenant", rc -> imports.restore(Requests.tenant(rc), Requests.body(rc))
        .onSuccess(job -> Replies.send(rc, Reply.accepted(job, "/v1/platform/tenants/" + job.getString("tenantId")
            + "/jobs/" + job.getString("id"))))
        .onFailure(rc::fail));
    for (String op : new String[] {"getTenantJob", "getOwnTenantJob"}) {
      ops.bindRaw(op, rc -> jobs.job(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")),
              Requests.pathUuid(rc, "jobId"))
          .onSuccess(job -> Replies.send(rc, Reply.ok(job)))
          .onFailure(rc::fail));
    }
    for (String op : new String[] {"downloadTenantArchive", "downloadOwnTenantArchive"}) {
      ops.bindRaw(op, rc -> jobs.archive(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")),
              Requests.pathUuid(rc, "jobId"))
          .onSuccess(path -> rc.response()
              .putHeader("Content-Type", "application/zip")
              .putHeader("Content-Disposition", "attachment; filename=\"" + path.getFileName() + "\"")
              .putHeader("Cache-Control", "no-store")
              .putHeader("Content-Encoding", "identity") // a zip is compressed already
              .sendFile(path.toString())
              .onFailure(rc::fail))
          .onFailure(rc::fail));
    }
    ops.bindRaw("upgradeTenantPlaces", rc -> upgrades.start(Requests.tenant(rc))
        .onSuccess(status -> Replies.send(rc, Reply.accepted(status)))
        .onFailure(rc::fail));
  }

  private static String jobPath(RoutingContext rc, TenantId tenant, JsonObject job) {
    String base = rc.request().path().startsWith("/v1/platform/") ? "/v1/platform/tenants/" : "/v1/tenants/";
    return base + tenant + "/jobs/" + job.getString("id");
  }
}
