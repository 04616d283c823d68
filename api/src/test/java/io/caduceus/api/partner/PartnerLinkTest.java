package io.caduceus.api.partner;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Partner links: single-use expiring invitations, acceptance by the right kind of tenant, revocation, residency. */
class PartnerLinkTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aClinicInvitesALabWhoseAdminAcceptsAndBothSeeTheLink() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    Api.Response created = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin),
        new JsonObject().put("scope", "lab_orders")), 201);
    JsonObject invited = created.json();
    assertThat(invited.getString("code")).hasSizeGreaterThan(30);
    JsonObject pending = expect(api.get(created.header("Location"), clinic.token(clinic.admin)), 200).json();
    assertThat(pending.getString("status")).isEqualTo("pending");
    assertThat(pending.encode()).doesNotContain(invited.getString("code"));
    expect(api.get(created.header("Location"), lab.token(lab.admin)), 404);

    Api.Response accepted = expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin),
        new JsonObject().put("code", invited.getString("code"))), 201);
    JsonObject link = accepted.json();
    assertThat(expect(api.get(accepted.header("Location"), clinic.token(clinic.admin)), 200).json().getString("id"))
        .isEqualTo(link.getString("id"));
    Clinic outsider = Clinic.in("us");
    expect(api.get(accepted.header("Location"), outsider.token(outsider.admin)), 404);
    assertThat(link.getString("status")).isEqualTo("active");
    assertThat(link.getJsonObject("requester").getString("tenantId")).isEqualTo(clinic.tenant.id().toString());
    assertThat(link.getJsonObject("partner").getString("tenantId")).isEqualTo(lab.tenant.id().toString());
    assertThat(link.getBoolean("crossesRegions")).isFalse();

    assertThat(expect(api.get("/v1/partner-links", clinic.token(clinic.admin)), 200).items()).hasSize(1);
    assertThat(expect(api.get("/v1/partner-links", lab.token(lab.staff)), 200).items()).hasSize(1);
    JsonObject sent = expect(api.get("/v1/partner-invitations", clinic.token(clinic.admin)), 200).items()
        .getJsonObject(0);
    assertThat(sent.getString("status")).isEqualTo("accepted");
    assertThat(sent.getString("linkId")).isEqualTo(link.getString("id"));
  }

  @Test
  void aReplayedInvitationIsAuditedOnceAndTheAcceptanceNamesTheInvitingTenant() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    Map<String, String> key = Map.of("Idempotency-Key", "invite-" + UUID.randomUUID());
    JsonObject body = new JsonObject().put("scope", "lab_orders");
    JsonObject invited = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin), body, key), 201)
        .json();
    Api.Response replayed = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin), body, key), 201);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(AuditRows.of(platform, clinic.tenant, "partner.invite"))
        .containsExactly(AuditRows.row("partner_link", invited.getString("id"), List.of(), "success", null));

    String link = expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin),
        new JsonObject().put("code", invited.getString("code"))), 201).json().getString("id");
    assertThat(AuditRows.of(platform, lab.tenant, "partner.link"))
        .containsExactly(AuditRows.row("partner_link", link, List.of(), "success", clinic.tenant.id()));
  }

  @Test
  void aCodeIsSingleUseAndOnlyTheRightKindOfTenantMayAcceptIt() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    Partner pharmacy = Partner.pharmacy("us");
    String code = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin),
        new JsonObject().put("scope", "lab_orders")), 201).json().getString("code");

    expect(api.post("/v1/partner-invitations/accept", pharmacy.token(pharmacy.admin),
        new JsonObject().put("code", code)), 403);
    expect(api.post("/v1/partner-invitations/accept", clinic.token(clinic.admin), new JsonObject().put("code", code)),
        409);
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin), new JsonObject().put("code", code)), 201);
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin), new JsonObject().put("code", code)), 409);
    expect(api.post("/v1/partner-invitations/decline", lab.token(lab.admin), new JsonObject().put("code", code)), 409);
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin),
        new JsonObject().put("code", "x".repeat(43))), 404);
  }

  @Test
  void onlyTheKindOfTenantAnInvitationIsAddressedToMayDeclineIt() {
    Clinic clinic = Clinic.in("us");
    Clinic otherClinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    Partner pharmacy = Partner.pharmacy("us");
    JsonObject invitation = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin),
        new JsonObject().put("scope", "lab_orders")), 201).json();
    JsonObject code = new JsonObject().put("code", invitation.getString("code"));

    expect(api.post("/v1/partner-invitations/decline", pharmacy.token(pharmacy.admin), code), 403);
    expect(api.post("/v1/partner-invitations/decline", otherClinic.token(otherClinic.admin), code), 403);
    assertThat(expect(api.get("/v1/partner-invitations/" + invitation.getString("id"), clinic.token(clinic.admin)),
        200).json().getString("status")).isEqualTo("pending");
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin), code), 201);
  }

  @Test
  void anExpiredOrDeclinedInvitationCannotBeAccepted() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    String admin = clinic.token(clinic.admin);
    String declined = expect(api.post("/v1/partner-invitations", admin, new JsonObject().put("scope", "lab_orders")),
        201).json().getString("code");
    expect(api.post("/v1/partner-invitations/decline", lab.token(lab.admin), new JsonObject().put("code", declined)),
        204);
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin), new JsonObject().put("code", declined)),
        409);

    JsonObject expiring = expect(api.post("/v1/partner-invitations", admin,
        new JsonObject().put("scope", "lab_orders")), 201).json();
    Sql.update(platform.superuser("global"), "UPDATE partner_invitation SET expires_at = now() - interval '1 minute'"
        + " WHERE id = ?::uuid", expiring.getString("id"));
    expect(api.post("/v1/partner-invitations/accept", lab.token(lab.admin),
        new JsonObject().put("code", expiring.getString("code"))), 409);
    assertThat(expect(api.get("/v1/partner-invitations", admin), 200).items().stream()
        .map(i -> ((JsonObject) i).getString("status")).toList()).containsExactlyInAnyOrder("declined", "expired");
  }

  @Test
  void onlyATenantAdminManagesPartners() {
    Clinic clinic = Clinic.in("us");
    expect(api.post("/v1/partner-invitations", clinic.token(clinic.doctor), new JsonObject().put("scope", "claims")),
        403);
    expect(api.get("/v1/partner-invitations", clinic.token(clinic.desk)), 403);
    Partner insurer = Partner.insurer("us");
    String code = expect(api.post("/v1/partner-invitations", clinic.token(clinic.admin),
        new JsonObject().put("scope", "claims")), 201).json().getString("code");
    expect(api.post("/v1/partner-invitations/accept", insurer.token(insurer.staff), new JsonObject().put("code", code)),
        403);
  }

  @Test
  void aLabCannotInviteOthersToSendItWork() {
    Partner lab = Partner.lab("us");
    expect(api.post("/v1/partner-invitations", lab.token(lab.admin), new JsonObject().put("scope", "lab_orders")), 400);
  }

  @Test
  void eitherSideRevokesALinkAndAnOutsiderCannot() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    String linkId = lab.linkTo(clinic).getString("id");
    Clinic outsider = Clinic.in("us");
    expect(api.post("/v1/partner-links/" + linkId + "/revoke", outsider.token(outsider.admin), null), 404);
    expect(api.post("/v1/partner-links/" + linkId + "/revoke", lab.token(lab.staff), null), 403);

    JsonObject revoked = expect(api.post("/v1/partner-links/" + linkId + "/revoke", lab.token(lab.admin), null), 200)
        .json();
    assertThat(revoked.getString("status")).isEqualTo("revoked");
    expect(api.post("/v1/partner-links/" + linkId + "/revoke", clinic.token(clinic.admin), null), 409);
    assertThat(expect(api.get("/v1/partner-links", clinic.token(clinic.admin)), 200).items().getJsonObject(0)
        .getString("status")).isEqualTo("revoked");
    assertThat(expect(api.get("/v1/partner-links", outsider.token(outsider.admin)), 200).items()).isEmpty();

    String again = lab.linkTo(clinic).getString("id");
    assertThat(again).isNotEqualTo(linkId);
  }

  @Test
  void aCrossRegionLinkNeedsTheCareProvidersResidencyDecision() {
    Clinic clinic = Clinic.in("eu");
    Partner lab = Partner.lab("us");
    JsonObject link = lab.linkTo(clinic);
    assertThat(link.getBoolean("crossesRegions")).isTrue();
    assertThat(link.containsKey("residency")).isFalse();
    String path = "/v1/partner-links/" + link.getString("id") + "/residency";
    JsonObject basis = new JsonObject().put("basis", "EU SCC module 2 with the lab, DPA of 2026-11-01");

    expect(api.put(path, lab.token(lab.admin), basis), 403);
    expect(api.put(path, clinic.token(clinic.admin), new JsonObject().put("basis", "ok")), 400);
    JsonObject decided = expect(api.put(path, clinic.token(clinic.admin), basis), 200).json();
    assertThat(decided.getJsonObject("residency").getString("basis")).startsWith("EU SCC");
    List<Map<String, Object>> audited = Sql.query(platform.superuser("eu"), "SELECT partner_tenant_id::text AS p"
        + " FROM audit_event WHERE tenant_id = ? AND action = 'partner.residency'", clinic.tenant.id().value());
    assertThat(audited).extracting(r -> r.get("p")).containsExactly(lab.tenant.id().toString());

    Clinic local = Clinic.in("us");
    String sameRegion = Partner.lab("us").linkTo(local).getString("id");
    expect(api.put("/v1/partner-links/" + sameRegion + "/residency", local.token(local.admin), basis), 409);
  }
}
