package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestTenant;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.routing.catalog.TenantKind;
import io.vertx.core.json.JsonObject;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * A lab, pharmacy or insurer tenant with its admin and its working staff (a lab technician, a pharmacist or an
 * insurance manager), which links itself to a clinic through the API the way partners do.
 */
public final class Partner {

  public final TestPlatform platform;
  public final TestTenant tenant;
  public final TestUser admin;
  public final TestUser staff;

  private Partner(TestPlatform platform, TenantKind kind, String region, String staffRole) {
    this.platform = platform;
    this.tenant = platform.tenant(kind, region);
    this.admin = platform.user(tenant, "tenant_admin");
    this.staff = platform.user(tenant, staffRole);
  }

  /** A new lab in the region. */
  public static Partner lab(String region) {
    return new Partner(TestPlatform.get(), TenantKind.LAB, region, "lab_technician");
  }

  /** A new lab in the clinic's region, linked to it. */
  public static Partner labLinkedTo(Clinic clinic) {
    Partner lab = lab(clinic.tenant.region());
    lab.linkTo(clinic);
    return lab;
  }

  /** A new pharmacy in the region. */
  public static Partner pharmacy(String region) {
    return new Partner(TestPlatform.get(), TenantKind.PHARMACY, region, "pharmacist");
  }

  /** A new insurer in the region. */
  public static Partner insurer(String region) {
    return new Partner(TestPlatform.get(), TenantKind.INSURER, region, "insurance_manager");
  }

  /** The user's access token. */
  public String token(TestUser user) {
    return platform.token(user);
  }

  /** The scope this partner serves. */
  public String scope() {
    return switch (tenant.kind()) {
      case LAB -> "lab_orders";
      case PHARMACY -> "prescriptions";
      case INSURER -> "claims";
      default -> throw new IllegalStateException("not a partner kind");
    };
  }

  /** The clinic invites this partner and the partner accepts: the active link, as the partner sees it. */
  public JsonObject linkTo(Clinic clinic) {
    Api api = platform.api();
    String code = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin),
        new JsonObject().put("scope", scope())), 201).json().getString("code");
    return expect(api.post("/v1/partner-invitations/accept", token(admin), new JsonObject().put("code", code)), 201)
        .json();
  }

  /** Links to the clinic and, across regions, records the clinic's residency decision; returns the link id. */
  public String usableLinkTo(Clinic clinic) {
    JsonObject link = linkTo(clinic);
    if (link.getBoolean("crossesRegions")) {
      expect(platform.api().put("/v1/partner-links/" + link.getString("id") + "/residency",
          clinic.token(clinic.admin), new JsonObject().put("basis", "Data processing agreement, SCC module 2")), 200);
    }
    return link.getString("id");
  }
}
