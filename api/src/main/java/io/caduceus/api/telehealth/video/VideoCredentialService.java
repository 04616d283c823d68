package io.caduceus.api.telehealth.video;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The tenant's own Twilio Video account: set (sealed), shown as a summary of sids, removed (its virtual visits
 * fall back to the sandbox). Guarded like the other provider accounts.
 */
public final class VideoCredentialService {

  private final TenantDb db;
  private final VideoCredentialRepository credentials;

  public VideoCredentialService(TenantDb db, TenantKeyring keyring) {
    this.db = db;
    this.credentials = new VideoCredentialRepository(keyring);
  }

  /** The summary of the tenant's account; NotFound while it has none (its rooms are the sandbox's). */
  public Future<VideoCredentialSummary> get(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, credentials::summary))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
            : Future.failedFuture(new NotFound("the tenant has no video account of its own; it uses the sandbox")));
  }

  /** Seals and stores the account from the request body (validated against the contract). */
  public Future<VideoCredentialSummary> put(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> credentials.put(conn, ctx, new TwilioVideoAccount(
            body.getString("accountSid"), body.getString("apiKeySid"), body.getString("apiKeySecret"),
            body.getString("authToken")))));
  }

  /** Removes the tenant's account; NotFound when it had none. */
  public Future<Void> remove(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> credentials.remove(conn)))
        .compose(removed -> removed ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("the tenant has no video account of its own")));
  }
}
