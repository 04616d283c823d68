package io.caduceus.api.partner;

import io.caduceus.routing.catalog.TenantKind;

import java.util.Set;

/** What a partner link allows: a care provider sends one kind of item to one kind of partner. */
public enum PartnerScope {
  LAB_ORDERS(TenantKind.LAB),
  PRESCRIPTIONS(TenantKind.PHARMACY),
  CLAIMS(TenantKind.INSURER);

  private static final Set<TenantKind> REQUESTERS = Set.of(TenantKind.CLINIC, TenantKind.HOSPITAL, TenantKind.PRACTICE);

  private final TenantKind partnerKind;

  PartnerScope(TenantKind partnerKind) {
    this.partnerKind = partnerKind;
  }

  /** The lower-case name used in the contract and the control plane. */
  public String wire() {
    return name().toLowerCase();
  }

  /** Parses the wire name. */
  public static PartnerScope fromWire(String wire) {
    return valueOf(wire.toUpperCase());
  }

  /** Whether a tenant of this kind may send items of this scope. */
  public boolean mayRequest(TenantKind kind) {
    return REQUESTERS.contains(kind);
  }

  /** Whether a tenant of this kind may serve items of this scope. */
  public boolean mayServe(TenantKind kind) {
    return kind == partnerKind;
  }

  /** The kind of tenant that serves this scope. */
  public TenantKind partnerKind() {
    return partnerKind;
  }
}
