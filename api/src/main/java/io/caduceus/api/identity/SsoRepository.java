package io.caduceus.api.identity;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Single sign-on's rows in the control plane, read and written through the client (pool or transaction) given. */
final class SsoRepository {

  /** A login in flight, as its state found it. */
  record PendingLogin(TenantId tenant, String nonce, byte[] sealedVerifier, String callbackUri, String appRedirect,
                      String appChallenge) {
  }

  /** A spent one-time code: who it opens a session for, and the challenge its verifier must meet. */
  record Handoff(UUID userId, TenantId tenant, String appChallenge, List<String> idpAmr) {
  }

  /** Whether a tenant refuses its staff's passwords, and who its break-glass admin is. */
  record Requirement(boolean requireSso, UUID breakGlassUserId) {
  }

  /** The tenant's IdP settings. */
  Future<Optional<SsoSettings>> settings(SqlClient client, TenantId tenant) {
    return client.preparedQuery(SsoSql.SETTINGS).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.optional(rows, SsoSettings::fromRow));
  }

  /** Stores the tenant's settings and its domains; run it in a transaction. */
  Future<Void> put(SqlClient client, TenantId tenant, String issuer, String clientId, byte[] sealedSecret,
                   Collection<String> domains, Collection<String> redirectUris, boolean requireSso, UUID breakGlass) {
    Tuple row = Tuple.of(tenant.value(), issuer, clientId, Buffer.buffer(sealedSecret),
        redirectUris.toArray(new String[0]), requireSso, breakGlass);
    return client.preparedQuery(SsoSql.UPSERT).execute(row)
        .compose(v -> client.preparedQuery(SsoSql.CLEAR_DOMAINS).execute(Tuple.of(tenant.value())))
        .compose(v -> domains.isEmpty() ? Future.succeededFuture() : client.preparedQuery(SsoSql.ADD_DOMAIN)
            .executeBatch(domains.stream().map(d -> Tuple.of(d, tenant.value())).toList()))
        .mapEmpty();
  }

  /** Adds a first login's membership; false when the person already has one (created or removed meanwhile). */
  Future<Boolean> joinNew(SqlClient client, UUID userId, TenantId tenant, List<String> roles) {
    return client.preparedQuery(SsoSql.JOIN_NEW)
        .execute(Tuple.of(tenant.value(), userId, roles.toArray(new String[0])))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Removes the tenant's IdP; false when it had none. Run it in a transaction. */
  Future<Boolean> delete(SqlClient client, TenantId tenant) {
    return client.preparedQuery(SsoSql.CLEAR_DOMAINS).execute(Tuple.of(tenant.value()))
        .compose(v -> client.preparedQuery(SsoSql.DELETE).execute(Tuple.of(tenant.value())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The tenant with SSO whose slug this is. */
  Future<Optional<TenantId>> tenantOfSlug(SqlClient client, String slug) {
    return client.preparedQuery(SsoSql.TENANT_OF_SLUG).execute(Tuple.of(slug))
        .map(rows -> Rows.optional(rows, row -> new TenantId(row.getUUID("tenant_id"))));
  }

  /** The tenants with SSO that vouch for this (lower-case) email domain: none, one, or two (two or more). */
  Future<List<TenantId>> tenantsOfDomain(SqlClient client, String domain) {
    return client.preparedQuery(SsoSql.TENANT_OF_DOMAIN).execute(Tuple.of(domain))
        .map(rows -> Rows.list(rows, row -> new TenantId(row.getUUID("tenant_id"))));
  }

  /** The tenant's password rule, if it has an IdP. */
  Future<Optional<Requirement>> requirement(SqlClient client, TenantId tenant) {
    return client.preparedQuery(SsoSql.REQUIREMENT).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.optional(rows, row -> new Requirement(row.getBoolean("require_sso"),
            row.getUUID("break_glass_user_id"))));
  }

  /** Whether the user is an active tenant admin of the tenant. */
  Future<Boolean> isActiveAdmin(SqlClient client, TenantId tenant, UUID userId) {
    return client.preparedQuery(SsoSql.ACTIVE_ADMIN).execute(Tuple.of(tenant.value(), userId))
        .map(rows -> rows.size() == 1);
  }

  /** Records a login in flight. */
  Future<Void> addLogin(SqlClient client, byte[] stateHash, TenantId tenant, String nonce, byte[] sealedVerifier,
                        String callbackUri, String appRedirect, String appChallenge, Instant expiresAt) {
    return client.preparedQuery(SsoSql.ADD_LOGIN).execute(Tuple.from(Arrays.asList(Buffer.buffer(stateHash),
        tenant.value(), nonce, Buffer.buffer(sealedVerifier), callbackUri, appRedirect, appChallenge,
        Timestamps.utc(expiresAt)))).mapEmpty();
  }

  /** Spends a state: the login it started, once, while it has not expired. */
  Future<Optional<PendingLogin>> spendLogin(SqlClient client, byte[] stateHash) {
    return client.preparedQuery(SsoSql.SPEND_LOGIN).execute(Tuple.of(Buffer.buffer(stateHash)))
        .map(rows -> Rows.optional(rows, SsoRepository::pending));
  }

  /** Records a one-time code for an app. */
  Future<Void> addHandoff(SqlClient client, byte[] codeHash, UUID userId, TenantId tenant, String appChallenge,
                          List<String> idpAmr, Instant expiresAt) {
    return client.preparedQuery(SsoSql.ADD_HANDOFF).execute(Tuple.of(Buffer.buffer(codeHash), userId, tenant.value(),
        appChallenge, idpAmr.toArray(new String[0]), Timestamps.utc(expiresAt))).mapEmpty();
  }

  /** Spends a one-time code, once, while it has not expired. */
  Future<Optional<Handoff>> spendHandoff(SqlClient client, byte[] codeHash) {
    return client.preparedQuery(SsoSql.SPEND_HANDOFF).execute(Tuple.of(Buffer.buffer(codeHash)))
        .map(rows -> Rows.optional(rows, row -> new Handoff(row.getUUID("user_id"),
            new TenantId(row.getUUID("tenant_id")), row.getString("app_challenge"),
            Arrays.asList(row.getArrayOfStrings("idp_amr")))));
  }

  /** Drops logins and codes that expired a day ago (kept that long to tell a replay from a stranger). */
  Future<Void> purge(SqlClient client) {
    return client.query(SsoSql.PURGE_LOGINS).execute()
        .compose(v -> client.query(SsoSql.PURGE_HANDOFFS).execute()).mapEmpty();
  }

  /** The user this IdP subject is. */
  Future<Optional<UUID>> identity(SqlClient client, String issuer, String subject) {
    return client.preparedQuery(SsoSql.IDENTITY).execute(Tuple.of(issuer, subject))
        .map(rows -> Rows.optional(rows, row -> row.getUUID("user_id")));
  }

  /** Links an IdP subject to a user (or records the login of a linked one); the user it is linked to. */
  Future<UUID> link(SqlClient client, String issuer, String subject, UUID userId) {
    return client.preparedQuery(SsoSql.LINK).execute(Tuple.of(issuer, subject, userId))
        .map(rows -> rows.iterator().next().getUUID("user_id"));
  }

  private static PendingLogin pending(Row row) {
    return new PendingLogin(new TenantId(row.getUUID("tenant_id")), row.getString("nonce"),
        row.getBuffer("verifier_sealed").getBytes(), row.getString("callback_uri"), row.getString("app_redirect"),
        row.getString("app_challenge"));
  }
}
