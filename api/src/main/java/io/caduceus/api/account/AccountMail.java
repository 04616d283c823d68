package io.caduceus.api.account;

import io.caduceus.api.auth.User;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;

import java.util.Set;

/**
 * Sends account emails through the engagement engine of the platform's own tenant. A user is global (one account,
 * any number of tenants, maybe none active), so no clinic's branding fits every reset; the platform's tenant
 * signs them with its name and sends them over its email account (its own, else the deployment's, else the
 * sandbox). The token goes into that tenant's outbox sealed under its data key ({@link AccountNotice}).
 */
public final class AccountMail {

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final TenantDb db;
  private final Outbox outbox;
  private final AccountTokens tokens;

  public AccountMail(ControlPlane controlPlane, TenantCatalog catalog, TenantKeyring keyring, TenantDb db,
                     Outbox outbox, AccountTokens tokens) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.keyring = keyring;
    this.db = db;
    this.outbox = outbox;
    this.tokens = tokens;
  }

  /** Issues a token of {@code purpose} for the user's address and queues its email. */
  public Future<Void> send(User user, Purpose purpose) {
    return sender().compose(tenant -> tokens.issue(user.id(), user.email(), purpose)
        .compose(issued -> keyring.keys(tenant.id()).compose(keys -> db.inTenant(system(tenant, user),
            conn -> outbox.append(conn, tenant.id(), AccountNotice.of(keys, issued))))))
        .mapEmpty();
  }

  private Future<Tenant> sender() {
    return controlPlane.pool().query(AccountSql.SENDER).execute()
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new IllegalStateException("no active platform tenant sends account emails"));
          }
          Row row = rows.iterator().next();
          return catalog.find(new TenantId(row.getUUID("id")));
        })
        .map(found -> found.orElseThrow(() -> new IllegalStateException("the platform tenant vanished")));
  }

  private static TenantContext system(Tenant tenant, User user) {
    return TenantContext.system(tenant.id(), tenant.dataRegion(), tenant.tier(), user.id(), Set.of(), "account-mail");
  }
}
