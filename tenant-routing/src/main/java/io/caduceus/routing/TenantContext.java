package io.caduceus.routing;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is acting, for which tenant, and where that tenant's data lives.
 *
 * <p>Built once per request from the verified token and passed explicitly to every service and repository,
 * so a reader can see which tenant each line acts for. {@code patientId} is present only when the actor is a
 * patient: the database then confines every row to that patient as well as to the tenant. {@code transaction} is
 * null except in a context {@link TenantDb#inTenantTransaction} hands to the work it runs: every write made through
 * that context joins that transaction. {@code sessionId} is the login session of a request's token (null outside
 * one): a tenant whose members switch groups keeps each session's active group, and the database reads it by this id.
 */
public record TenantContext(
    TenantId tenantId,
    String region,
    IsolationTier tier,
    UUID userId,
    Set<String> roles,
    Set<String> permissions,
    Optional<UUID> patientId,
    String requestId,
    String clientAddress,
    OpenTransaction transaction,
    RequestAudit audit,
    UUID sessionId) {

  public TenantContext {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(userId, "userId");
    roles = Set.copyOf(roles);
    permissions = Set.copyOf(permissions);
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(audit, "audit");
  }

  /** A context of no login session (work outside a token's request, or built before the session is known). */
  public TenantContext(TenantId tenantId, String region, IsolationTier tier, UUID userId, Set<String> roles,
                       Set<String> permissions, Optional<UUID> patientId, String requestId, String clientAddress,
                       OpenTransaction transaction, RequestAudit audit) {
    this(tenantId, region, tier, userId, roles, permissions, patientId, requestId, clientAddress, transaction, audit,
        null);
  }

  /** A context outside any request's audit record (seeding, tests, the other side of an exchange). */
  public TenantContext(TenantId tenantId, String region, IsolationTier tier, UUID userId, Set<String> roles,
                       Set<String> permissions, Optional<UUID> patientId, String requestId, String clientAddress,
                       OpenTransaction transaction) {
    this(tenantId, region, tier, userId, roles, permissions, patientId, requestId, clientAddress, transaction,
        RequestAudit.NONE);
  }

  /** A context for work the platform does on a tenant's behalf (seeding, sealing), outside any request. */
  public static TenantContext system(TenantId tenantId, String region, IsolationTier tier, UUID actor,
                                     Set<String> permissions, String purpose) {
    return new TenantContext(tenantId, region, tier, actor, Set.of("system"), permissions, Optional.empty(),
        purpose, "internal", null);
  }

  /** Whether the actor holds the given permission in this tenant. */
  public boolean can(String permission) {
    return permissions.contains(permission);
  }

  /**
   * Whether the tenant's scoped access policy leaves this actor unconfined: a tenant admin runs the whole organisation
   * (placing patients and staff in facilities and care teams needs to see them all), and the platform's own work on a
   * tenant ({@link #system}: seeding, sealing, scanners' follow-up) serves every patient. A patient is governed by
   * their own confinement instead; every other member (clinical, front desk, billing, a tenant's own roles) is scoped.
   */
  public boolean seesAllPatients() {
    return roles.contains("tenant_admin") || roles.contains("system");
  }

  /** The same actor in the given login session. */
  public TenantContext withSession(UUID session) {
    return new TenantContext(tenantId, region, tier, userId, roles, permissions, patientId, requestId, clientAddress,
        transaction, audit, session);
  }

  /** Whether the actor is a patient acting on their own record. */
  public boolean actsAsPatient() {
    return patientId.isPresent();
  }

  /** The same actor, joined to a transaction {@link TenantDb} opened for it. */
  TenantContext joining(OpenTransaction open) {
    return new TenantContext(tenantId, region, tier, userId, roles, permissions, patientId, requestId,
        clientAddress, Objects.requireNonNull(open), audit, sessionId);
  }

  /** The same actor, recording into the audit record of the request it acts for. */
  public TenantContext withAudit(RequestAudit record) {
    return new TenantContext(tenantId, region, tier, userId, roles, permissions, patientId, requestId,
        clientAddress, transaction, record, sessionId);
  }

}
