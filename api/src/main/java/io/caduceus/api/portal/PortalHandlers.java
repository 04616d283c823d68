package io.caduceus.api.portal;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/portal} operations: the patient's own view across their tenants. */
public final class PortalHandlers {

  private final PortalService portal;
  private final AccessLogService accessLog;

  public PortalHandlers(PortalService portal, AccessLogService accessLog) {
    this.portal = portal;
    this.accessLog = accessLog;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getPortalRecords", this::records);
    ops.bind("listRecordAccesses", this::accesses);
  }

  private Future<Reply> records(RoutingContext rc) {
    return portal.records(Requests.tenant(rc)).map(Reply::ok);
  }

  private Future<Reply> accesses(RoutingContext rc) {
    return accessLog.accesses(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(entry -> entry)));
  }
}
