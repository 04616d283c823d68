package io.caduceus.api.portal;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
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
    ops.bindRaw("getPortalRecords", this::records);
    ops.bindRaw("listRecordAccesses", this::accesses);
  }

  private void records(RoutingContext rc) {
    portal.records(Requests.tenant(rc))
        .onSuccess(view -> Replies.send(rc, Reply.ok(view)))
        .onFailure(rc::fail);
  }

  private void accesses(RoutingContext rc) {
    accessLog.accesses(Requests.tenant(rc), Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .onSuccess(page -> Replies.send(rc, Reply.ok(page.toJson(entry -> entry))))
        .onFailure(rc::fail);
  }
}
