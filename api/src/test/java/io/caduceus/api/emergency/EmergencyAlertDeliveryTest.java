package io.caduceus.api.emergency;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The break-glass alert really reaches the privacy officer: through the tenant's own SMTP account (GreenMail), by
 * email, during quiet hours and with clinical alerts not among the tenant's critical categories (the alert itself is
 * critical), naming the nurse and the stated reason and never the patient; the reason rests nowhere in clear (the
 * outbox notice, the message's variables, its stored words, the message listing). A tenant without a privacy officer
 * has its admin alerted.
 */
class EmergencyAlertDeliveryTest {

  private static final String REASON = "Unresponsive visitor found in the West lobby; chart needed for allergies";
  /** What the stored words show in place of the reason (SealedReason.WITHHELD, spelled out as the contract does). */
  private static final String WITHHELD = "[reason withheld: see the break-glass report]";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void thePrivacyOfficerIsEmailedTheReasonDuringQuietHoursAndTheReasonRestsNowhereInClear() {
    Clinic clinic = Clinic.in("us");
    Mailbox mailbox = Mailbox.get();
    mailbox.serve(clinic);
    quietNowAndNoCriticalCategories(clinic);
    TestUser officer = platform.user(clinic.tenant, "privacy_officer");
    UUID east = facility(clinic, "Alert East");
    UUID west = facility(clinic, "Alert West");
    TestUser nurse = platform.user(clinic.tenant, "nurse");
    Sql.update(owner(clinic), "INSERT INTO " + table(clinic, "staff_group") + " (tenant_id, user_id, group_id, kind,"
        + " added_by) VALUES (?, ?, ?, 'facility', ?)", tenant(clinic), nurse.id(), east, clinic.admin.id());
    String patientId = clinic.patient("Lobbyfound", "Leopold").getString("id");
    Sql.update(owner(clinic), "INSERT INTO " + table(clinic, "patient_facility") + " (tenant_id, patient_id,"
        + " facility_id, added_by) VALUES (?, ?, ?, ?)", tenant(clinic), UUID.fromString(patientId), west,
        clinic.admin.id());
    Sql.update(owner(clinic), "INSERT INTO " + table(clinic, "access_policy") + " (tenant_id, scope, group_view,"
        + " updated_by) VALUES (?, 'facility', 'combined', ?)", tenant(clinic), clinic.admin.id());
    expect(api.get("/v1/patients/" + patientId, platform.token(nurse)), 404);

    String accessId = expect(api.post("/v1/patients/" + patientId + "/emergency-access", platform.token(nurse),
        new JsonObject().put("reason", REASON)), 201).json().getString("id");

    String mail = mailbox.nextTo(officer.email());
    assertThat(mail).startsWith("Emergency access opened").contains(REASON).contains("break-glass report")
        .doesNotContain("Lobbyfound").doesNotContain("Leopold").doesNotContain(patientId).doesNotContain(WITHHELD);

    Map<String, Object> sent = Await.until(() -> Sql.query(owner(clinic), "SELECT status, channel, provider, critical,"
        + " subject_ref, content::text AS content, variables::text AS variables FROM " + table(clinic, "message")
        + " WHERE tenant_id = ? AND topic = 'emergency_access.opened' AND recipient_id = ?", tenant(clinic),
        officer.id()), rows -> !rows.isEmpty()
        && List.of("sent", "delivered").contains(rows.get(0).get("status")), Duration.ofSeconds(60))
        .get(0);
    assertThat(sent).containsEntry("channel", "email").containsEntry("critical", true)
        .containsEntry("subject_ref", accessId);
    assertThat((String) sent.get("provider")).startsWith("smtp");
    assertThat((String) sent.get("content")).contains(WITHHELD).doesNotContain(REASON);
    assertThat((String) sent.get("variables")).doesNotContain("Unresponsive").doesNotContain(patientId);
    assertThat(Sql.query(owner(clinic), "SELECT payload::text AS p FROM " + table(clinic, "outbox_event")
        + " WHERE tenant_id = ? AND topic = 'emergency_access.opened'", tenant(clinic)))
        .isNotEmpty().allSatisfy(row -> assertThat((String) row.get("p")).doesNotContain("Unresponsive")
            .doesNotContain(patientId));
    String listed = expect(api.get("/v1/messages?topic=emergency_access.opened", clinic.token(clinic.admin)), 200)
        .body();
    assertThat(listed).contains(WITHHELD).doesNotContain("Unresponsive");
  }

  @Test
  void aTenantWithoutAPrivacyOfficerHasItsAdminAlerted() {
    Clinic clinic = Clinic.in("us");
    Mailbox mailbox = Mailbox.get();
    mailbox.serve(clinic);
    quietNowAndNoCriticalCategories(clinic);
    String patientId = clinic.patient("Nobodywatching", "Nina").getString("id");
    expect(api.post("/v1/patients/" + patientId + "/emergency-access", clinic.token(clinic.nurse),
        new JsonObject().put("reason", REASON)), 201);

    assertThat(mailbox.nextTo(clinic.admin.email())).startsWith("Emergency access opened").contains(REASON)
        .doesNotContain("Nobodywatching");
  }

  @Test
  void aTenantsSmsWordingOfTheAlertMayNotCarryTheReason() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    expect(api.put("/v1/engagement/templates/emergency_access.opened/sms/en", admin, new JsonObject()
        .put("body", "Break-glass: {{reason}}")), 422);
    expect(api.put("/v1/engagement/templates/emergency_access.opened/push/en", admin, new JsonObject()
        .put("subject", "Break-glass").put("body", "{{reason}}")), 422);
    expect(api.put("/v1/engagement/templates/emergency_access.opened/email/en", admin, new JsonObject()
        .put("subject", "Break-glass").put("body", "{{practitionerName}}: {{reason}}")), 200);
  }

  /** Quiet hours around now, and no category critical: only the message's own critical flag can send it now. */
  private void quietNowAndNoCriticalCategories(Clinic clinic) {
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    settings.put("timeZone", "UTC").put("criticalCategories", new JsonArray(List.of()))
        .put("quietHours", new JsonObject().put("start", now.minusHours(1).format(hhmm))
            .put("end", now.plusHours(2).format(hhmm)));
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
  }

  private UUID facility(Clinic clinic, String name) {
    UUID id = UUID.randomUUID();
    Sql.update(owner(clinic), "INSERT INTO " + table(clinic, "facility") + " (tenant_id, id, name, created_by)"
        + " VALUES (?, ?, ?, ?)", tenant(clinic), id, name, clinic.admin.id());
    return id;
  }

  private DatabaseEndpoint owner(Clinic clinic) {
    return platform.superuser(clinic.tenant);
  }

  private static UUID tenant(Clinic clinic) {
    return clinic.tenant.id().value();
  }

  private static String table(Clinic clinic, String name) {
    return clinic.tenant.place().schema() + "." + name;
  }
}
