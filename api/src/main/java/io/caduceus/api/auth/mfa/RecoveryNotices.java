package io.caduceus.api.auth.mfa;

import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Tells a user that one of their recovery codes was used, through the engagement engine's notice path (as an
 * invitation is): an outbox row in the tenant the session is for, which the engine emails to the user's address.
 * The row names the user and the time, nothing secret (never the code).
 */
public final class RecoveryNotices {

  /** The outbox topic family the engagement intake takes account notices from. */
  public static final String FAMILY = "account";
  /** The outbox topic of a recovery code's use. */
  public static final String TOPIC = "account.recovery_code_used";

  private final TenantCatalog catalog;
  private final TenantDb db;
  private final Outbox outbox;

  public RecoveryNotices(TenantCatalog catalog, TenantDb db, Outbox outbox) {
    this.catalog = catalog;
    this.db = db;
    this.outbox = outbox;
  }

  /** The context of a user acting in a tenant outside a request's token (a login's second step). */
  public Future<TenantContext> context(TenantId tenantId, UUID userId, String requestId) {
    return catalog.find(tenantId).map(found -> {
      Tenant tenant = found.orElseThrow();
      return TenantContext.system(tenant.id(), tenant.dataRegion(), tenant.tier(), userId, Set.of(), requestId);
    });
  }

  /** Queues the email telling the user a recovery code of theirs was used. */
  public Future<Void> recoveryCodeUsed(TenantContext ctx, UUID userId) {
    JsonObject payload = new JsonObject().put("userId", userId.toString()).put("usedAt", Instant.now().toString());
    return db.inTenant(ctx, conn -> outbox.append(conn, ctx.tenantId(),
        new OutboxMessage(TOPIC, userId.toString(), payload))).mapEmpty();
  }
}
