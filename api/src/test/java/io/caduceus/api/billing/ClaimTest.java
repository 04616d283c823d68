package io.caduceus.api.billing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fee schedule prices a signed visit's procedures into charges; a claim carries them to the insurer, whose
 * decision and payments come back to the clinic's copy.
 */
class ClaimTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void theFeeScheduleIsKeptByCode() {
    Billed b = new Billed();
    String accountant = b.accountantToken();
    expect(api.put("/v1/fees/99214", accountant, new JsonObject().put("amountCents", 21_000).put("currency", "USD")
        .put("display", "Office visit, moderate")), 201);
    JsonObject replaced = expect(api.put("/v1/fees/99214", accountant, new JsonObject().put("amountCents", 22_000)
        .put("currency", "USD")), 200).json();
    assertThat(replaced.getLong("amountCents")).isEqualTo(22_000L);
    b.fee("99213", 15_000);
    JsonObject page = expect(api.get("/v1/fees?limit=1", accountant), 200).json();
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("cptCode")).isEqualTo("99213");
    assertThat(expect(api.get("/v1/fees?cursor=" + page.getString("nextCursor"), accountant), 200).items()
        .getJsonObject(0).getString("cptCode")).isEqualTo("99214");
    expect(api.put("/v1/fees/9921X", accountant, new JsonObject().put("amountCents", 1).put("currency", "USD")), 400);
    expect(api.put("/v1/fees/99215", accountant, new JsonObject().put("amountCents", -1).put("currency", "USD")), 400);
    expect(api.put("/v1/fees/99215", b.clinic.token(b.clinic.doctor), new JsonObject().put("amountCents", 1)
        .put("currency", "USD")), 403);
    expect(api.delete("/v1/fees/99214", accountant), 204);
    expect(api.delete("/v1/fees/99214", accountant), 404);
    Clinic other = Clinic.in("us");
    assertThat(expect(api.get("/v1/fees", other.token(other.admin)), 200).items()).isEmpty();
  }

  @Test
  void chargesComeFromASignedVisitPricedByTheSchedule() {
    Billed b = new Billed();
    String accountant = b.accountantToken();
    String open = b.visit(false, "99213");
    expect(api.post("/v1/encounters/" + open + "/charges", accountant, null), 409);

    String visit = b.visit(true, "99213", "36415");
    b.fee("99213", 15_000);
    Api.Response unpriced = expect(api.post("/v1/encounters/" + visit + "/charges", accountant, null), 409);
    assertThat(unpriced.json().getString("detail")).contains("36415");
    assertThat(expect(api.get("/v1/charges?encounterId=" + visit, accountant), 200).items()).isEmpty();

    b.fee("36415", 1_200);
    JsonObject charged = expect(api.post("/v1/encounters/" + visit + "/charges", accountant, null), 200).json();
    assertThat(charged.getJsonArray("items")).hasSize(2);
    assertThat(charged.getLong("totalCents")).isEqualTo(16_200L);
    b.fee("99213", 99_999);
    JsonObject again = expect(api.post("/v1/encounters/" + visit + "/charges", accountant, null), 200).json();
    assertThat(again.getLong("totalCents")).as("repeating neither duplicates nor reprices").isEqualTo(16_200L);
    assertThat(expect(api.get("/v1/charges?billed=false&patientId=" + b.patientId, accountant), 200).items())
        .hasSize(2);

    expect(api.post("/v1/encounters/" + visit + "/charges", b.clinic.token(b.clinic.desk), null), 403);
    Clinic other = Clinic.in("us");
    expect(api.post("/v1/encounters/" + visit + "/charges", platform.token(platform.user(other.tenant,
        "accountant")), null), 404);
  }

  @Test
  void chargesAndClaimsAreAuditedWithTheirPatientAndTheInsurerEvenWhenRefused() {
    Billed b = new Billed();
    String accountant = b.accountantToken();
    String visit = b.visit(true, "99213");
    b.fee("99213", 15_000);
    expect(api.post("/v1/encounters/" + visit + "/charges", accountant, null), 200);
    assertThat(AuditRows.of(platform, b.clinic.tenant, "charge.generate"))
        .containsExactly(AuditRows.row("encounter", visit, List.of(b.patientId), "success", null));

    JsonObject claimBody = new JsonObject().put("encounterId", visit)
        .put("insurerTenantId", b.insurer.tenant.id().toString());
    Partner unlinked = Partner.insurer("us");
    expect(api.post("/v1/claims", accountant, claimBody.copy()
        .put("insurerTenantId", unlinked.tenant.id().toString())), 403);
    String sent = expect(api.post("/v1/claims", accountant, claimBody), 201).json().getString("id");
    List<String> rows = AuditRows.of(platform, b.clinic.tenant, "claim.submit");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).matches("claim [0-9a-f-]{36} \\{\\} denied " + unlinked.tenant.id());
    assertThat(rows.get(1))
        .isEqualTo(AuditRows.row("claim", sent, List.of(b.patientId), "success", b.insurer.tenant.id()));
  }

  @Test
  void aClaimIsAdjudicatedAndPaidAndTheClinicsCopyFollows() {
    Billed b = new Billed();
    String accountant = b.accountantToken();
    String visit = b.visit(true, "99213");
    JsonObject claimBody = new JsonObject().put("encounterId", visit)
        .put("insurerTenantId", b.insurer.tenant.id().toString());
    expect(api.post("/v1/claims", accountant, claimBody), 409);
    b.fee("99213", 15_000);
    expect(api.post("/v1/encounters/" + visit + "/charges", accountant, null), 200);
    Partner unlinked = Partner.insurer("us");
    expect(api.post("/v1/claims", accountant, claimBody.copy()
        .put("insurerTenantId", unlinked.tenant.id().toString())), 403);

    JsonObject sent = expect(api.post("/v1/claims", accountant, claimBody), 201).json();
    assertThat(sent.getString("status")).isEqualTo("submitted");
    assertThat(sent.getString("memberId")).isEqualTo(Billed.MEMBER_ID);
    assertThat(sent.getLong("totalCents")).isEqualTo(15_000L);
    assertThat(sent.getJsonObject("provider").getString("name")).isEqualTo("Test Doctor");
    expect(api.post("/v1/claims", accountant, claimBody), 409);
    assertThat(expect(api.get("/v1/charges?billed=true&encounterId=" + visit, accountant), 200).items()
        .getJsonObject(0).getString("claimId")).isEqualTo(sent.getString("id"));

    String manager = b.insurerToken();
    JsonObject incoming = Await.until(() -> expect(api.get("/v1/claims?direction=incoming&status=submitted",
        manager), 200).items(), items -> !items.isEmpty()).getJsonObject(0);
    assertThat(incoming.getString("memberId")).isEqualTo(Billed.MEMBER_ID);
    assertThat(incoming.getString("coverageId")).isEqualTo(b.coverageId);
    assertThat(incoming.getString("counterpartClaimId")).isEqualTo(sent.getString("id"));
    assertThat(incoming.getJsonArray("diagnoses").getJsonObject(0).getString("code")).isEqualTo("J20.9");
    assertThat(incoming.encode()).doesNotContain("anxiety");
    expect(api.get("/v1/encounters/" + visit, manager), 403);
    String claim = "/v1/claims/" + incoming.getString("id");
    Await.until(() -> expect(api.get("/v1/claims/" + sent.getString("id"), accountant), 200).json(),
        c -> incoming.getString("id").equals(c.getString("counterpartClaimId")));

    expect(api.post(claim + "/payments", manager, new JsonObject().put("amountCents", 100)), 409);
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "partially_approved")
        .put("approvedCents", 12_000)), 400);
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "approved")
        .put("approvedCents", 12_000)), 400);
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "partially_approved")
        .put("approvedCents", 12_000).put("reasons", new JsonArray().add(new JsonObject().put("code", "XX-1")))), 400);
    expect(api.post("/v1/claims/" + sent.getString("id") + "/adjudicate", accountant, new JsonObject()
        .put("decision", "approved")), 403);
    JsonObject decided = expect(api.post(claim + "/adjudicate", manager, new JsonObject()
        .put("decision", "partially_approved").put("approvedCents", 12_000).put("reasons", new JsonArray()
            .add(new JsonObject().put("code", "CO-45").put("text", "Charge exceeds fee schedule")))), 200).json();
    assertThat(decided.getString("status")).isEqualTo("adjudicated");
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "denied")
        .put("reasons", new JsonArray().add(new JsonObject().put("code", "CO-50")))), 409);

    expect(api.post(claim + "/payments", manager, new JsonObject().put("amountCents", 12_001)), 422);
    expect(api.post(claim + "/payments", manager, new JsonObject().put("amountCents", 7_000)
        .put("reference", "EFT-1")), 200);
    JsonObject paid = expect(api.post(claim + "/payments", manager, new JsonObject().put("amountCents", 5_000)
        .put("reference", "EFT-2")), 200).json();
    assertThat(paid.getString("status")).isEqualTo("paid");
    assertThat(paid.getJsonArray("payments")).hasSize(2);

    JsonObject clinicCopy = Await.until(() -> expect(api.get("/v1/claims/" + sent.getString("id"), accountant),
        200).json(), c -> "paid".equals(c.getString("status")));
    assertThat(clinicCopy.getLong("approvedCents")).isEqualTo(12_000L);
    assertThat(clinicCopy.getLong("paidCents")).isEqualTo(12_000L);
    assertThat(clinicCopy.getString("decision")).isEqualTo("partially_approved");
    assertThat(clinicCopy.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("CO-45");
    assertThat(clinicCopy.getJsonArray("payments").stream().map(p -> ((JsonObject) p).getString("reference")))
        .containsExactly("EFT-1", "EFT-2");
    List<Object> changes = Sql.query(platform.superuser("us"), "SELECT payload->>'status' AS status FROM outbox_event"
        + " WHERE tenant_id = ? AND topic = 'claim.status_changed' ORDER BY occurred_at, id",
        b.clinic.tenant.id().value()).stream().map(r -> r.get("status")).toList();
    assertThat(changes).containsExactly("adjudicated", "paid");
  }

  @Test
  void aDeniedClaimLeavesTheWholeBillAndNothingToPay() {
    Billed b = new Billed();
    String sent = b.sentClaim("99213", 15_000);
    String manager = b.insurerToken();
    String claim = "/v1/claims/" + Await.until(() -> expect(api.get("/v1/claims?direction=incoming", manager),
        200).items(), items -> !items.isEmpty()).getJsonObject(0).getString("id");
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "denied")), 400);
    expect(api.post(claim + "/adjudicate", manager, new JsonObject().put("decision", "denied")
        .put("reasons", new JsonArray().add(new JsonObject().put("code", "CO-50")
            .put("text", "Not deemed a medical necessity")))), 200);
    expect(api.post(claim + "/payments", manager, new JsonObject().put("amountCents", 1)), 409);
    JsonObject denied = Await.until(() -> expect(api.get("/v1/claims/" + sent, b.accountantToken()), 200).json(),
        c -> "denied".equals(c.getString("status")));
    assertThat(denied.getLong("approvedCents")).isZero();
  }

  @Test
  void claimsStayWithinTheirTenantsAndRoles() {
    Billed b = new Billed();
    String sent = b.sentClaim("99213", 15_000);

    Clinic other = Clinic.in("us");
    String otherAccountant = platform.token(platform.user(other.tenant, "accountant"));
    expect(api.get("/v1/claims/" + sent, otherAccountant), 404);
    assertThat(expect(api.get("/v1/claims", otherAccountant), 200).items()).isEmpty();
    Partner otherInsurer = Partner.insurer("us");
    assertThat(expect(api.get("/v1/claims?direction=incoming", otherInsurer.token(otherInsurer.staff)), 200).items())
        .isEmpty();
    expect(api.post("/v1/claims/" + sent + "/adjudicate", otherInsurer.token(otherInsurer.staff), new JsonObject()
        .put("decision", "approved")), 404);
    expect(api.get("/v1/claims/" + sent, b.clinic.token(b.clinic.desk)), 403);
    expect(api.get("/v1/claims/" + sent, b.clinic.token(b.clinic.doctor)), 403);

    // The member id never rests in the clear: not in either claim row, nor in the exchange message.
    for (String table : List.of("claim", "outbox_event")) {
      assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM " + table + " t WHERE t::text LIKE ?",
          "%448812%")).as(table).isEmpty();
    }
    assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM claim WHERE id = ?", UUID.fromString(sent)))
        .hasSize(1);
  }
}
