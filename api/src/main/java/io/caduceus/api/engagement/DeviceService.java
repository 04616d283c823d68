package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.engage.Device;
import io.caduceus.notifications.engage.Devices;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;

import java.util.List;
import java.util.UUID;

/** The patient app's push registrations: register a device's FCM token, list them, unregister one. */
public final class DeviceService {

  private final TenantDb db;
  private final Devices devices;

  public DeviceService(TenantDb db, Devices devices) {
    this.db = db;
    this.devices = devices;
  }

  /**
   * Registers the caller's device. A token another patient of the tenant registered stays theirs: the caller is
   * told so (409), since moving it would silently stop that patient's notifications.
   */
  public Future<Device> register(TenantContext ctx, String token, String platform) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> devices.register(conn, self(ctx), token, platform)
            .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
                : Future.<Device>failedFuture(new Conflict("this device is registered to another account;"
                    + " it must be unregistered there first")))));
  }

  /** The caller's devices. */
  public Future<List<Device>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.PORTAL).compose(v -> db.once(ctx, conn -> devices.list(conn, self(ctx))));
  }

  /** Unregisters one of the caller's devices. */
  public Future<Void> remove(TenantContext ctx, UUID device) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> devices.remove(conn, self(ctx), device)
            .compose(removed -> removed ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("no such device")))));
  }

  private static UUID self(TenantContext ctx) {
    return ctx.patientId().orElseThrow(() -> new Forbidden("only a patient registers devices"));
  }
}
