package io.caduceus.api.tiers;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
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
    ops.bind("moveTenant", rc -> {
      TenantId tenant = Requests.pathTenant(rc);
      return moves.start(Requests.tenant(rc), tenant, Requests.body(rc))
          .map(move -> Reply.accepted(move, "/v1/platform/tenants/" + tenant + "/moves/" + move.getString("id")));
    });
    ops.bind("getTenantMove", rc -> moves.get(Requests.tenant(rc), Requests.pathTenant(rc),
        Requests.pathUuid(rc, "moveId")).map(Reply::ok));
    ops.bind("getTenantPlaces", rc -> upgrades.status(Requests.tenant(rc)).map(Reply::ok));
    for (String op : new String[] {"exportTenant", "exportOwnTenant"}) {
      ops.bind(op, rc -> {
        TenantId tenant = Requests.pathTenant(rc);
        return exports.export(Requests.tenant(rc), tenant).map(job -> Reply.accepted(job, jobPath(rc, tenant, job)));
      });
    }
    ops.bind("offboardTenant", rc -> {
      TenantId tenant = Requests.pathTenant(rc);
      return offboarding.offboard(Requests.tenant(rc), tenant)
          .map(job -> Reply.accepted(job, jobPath(rc, tenant, job)));
    });
    ops.bind("importTenant", rc -> imports.restore(Requests.tenant(rc), Requests.body(rc))
        .map(job -> Reply.accepted(job, "/v1/platform/tenants/" + job.getString("tenantId")
            + "/jobs/" + job.getString("id"))));
    for (String op : new String[] {"getTenantJob", "getOwnTenantJob"}) {
      ops.bind(op, rc -> jobs.job(Requests.tenant(rc), Requests.pathTenant(rc), Requests.pathUuid(rc, "jobId"))
          .map(Reply::ok));
    }
    for (String op : new String[] {"downloadTenantArchive", "downloadOwnTenantArchive"}) {
      // The archive streams from disk: the handler settles the request's audit record before it sends a byte.
      ops.bindRaw(op, rc -> {
        TenantContext ctx = Requests.tenant(rc);
        jobs.archive(ctx, Requests.pathTenant(rc), Requests.pathUuid(rc, "jobId"))
            .transform(result -> Requests.audit(rc).settle(ctx, result))
            .onSuccess(path -> rc.response()
                .putHeader("Content-Type", "application/zip")
                .putHeader("Content-Disposition", "attachment; filename=\"" + path.getFileName() + "\"")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Encoding", "identity") // a zip is compressed already
                .sendFile(path.toString())
                .onFailure(rc::fail))
            .onFailure(rc::fail);
      });
    }
    ops.bind("upgradeTenantPlaces", rc -> upgrades.start(Requests.tenant(rc)).map(Reply::accepted));
  }

  private static String jobPath(RoutingContext rc, TenantId tenant, JsonObject job) {
    String base = rc.request().path().startsWith("/v1/platform/") ? "/v1/platform/tenants/" : "/v1/tenants/";
    return base + tenant + "/jobs/" + job.getString("id");
  }
}
