package io.caduceus.api.tiers;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;

/** The platform owner's tier moves and upgrades of tenant schemas and databases. */
public final class TierHandlers {

  private final TierMoves moves;
  private final PlaceUpgrades upgrades;

  public TierHandlers(TierMoves moves, PlaceUpgrades upgrades) {
    this.moves = moves;
    this.upgrades = upgrades;
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
    ops.bind("getTenantPlaces", rc -> upgrades.status(Requests.tenant(rc))
        .onSuccess(status -> Replies.send(rc, Reply.ok(status)))
        .onFailure(rc::fail));
    ops.bind("upgradeTenantPlaces", rc -> upgrades.start(Requests.tenant(rc))
        .onSuccess(status -> Replies.send(rc, Reply.accepted(status)))
        .onFailure(rc::fail));
  }
}
