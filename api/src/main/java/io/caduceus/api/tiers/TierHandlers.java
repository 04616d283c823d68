package io.caduceus.api.tiers;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;

/** The platform owner's tier moves. */
public final class TierHandlers {

  private final TierMoves moves;

  public TierHandlers(TierMoves moves) {
    this.moves = moves;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("moveTenant", rc -> {
      TenantId tenant = new TenantId(Requests.pathUuid(rc, "tenantId"));
      moves.start(Requests.tenant(rc), tenant, Requests.body(rc))
          .onSuccess(move -> Replies.send(rc, Reply.accepted(move, "/v1/platform/tenants/" + tenant + "/moves/"
              + move.getString("id"))))
          .onFailure(rc::fail);
    });
    ops.bind("getTenantMove", rc -> moves.get(Requests.tenant(rc), new TenantId(Requests.pathUuid(rc, "tenantId")),
            Requests.pathUuid(rc, "moveId"))
        .onSuccess(move -> Replies.send(rc, Reply.ok(move)))
        .onFailure(rc::fail));
  }
}
