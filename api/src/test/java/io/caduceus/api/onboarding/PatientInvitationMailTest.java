package io.caduceus.api.onboarding;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient invitation's token reaches the patient only in the email, with a working link, and rests nowhere in
 * clear: not in the outbox, not in the message history, not in the tenant's export archive.
 */
class PatientInvitationMailTest {

  /** What the stored words show in place of the link (SealedLink.WITHHELD, spelled out as the contract does). */
  private static final String WITHHELD = "[one-time link withheld]";
  private static final Pattern LINK_TOKEN = Pattern.compile("/invitations/accept#token=([A-Za-z0-9_-]{43})");

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void theInvitationIsEmailedWithAWorkingLinkAndItsTokenRestsNowhereInClear() throws IOException {
    Clinic clinic = Clinic.in("us");
    Mailbox mailbox = Mailbox.get();
    mailbox.serve(clinic);
    String email = "invited-" + UUID.randomUUID() + "@patients.test";
    String patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Mailed")
        .put("given", "Mara")).put("contact", new JsonObject().put("email", email))).getString("id");
    JsonObject created = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/invitations",
        clinic.token(clinic.desk), new JsonObject().put("email", email).put("roles", List.of("patient"))
            .put("patientId", patientId)), 201).json();
    assertThat(created.getString("delivery")).isEqualTo("email");

    String mail = mailbox.nextTo(email);
    Matcher link = LINK_TOKEN.matcher(mail);
    assertThat(link.find()).as("a link in: %s", mail).isTrue();
    String token = link.group(1);
    assertThat(mail).contains("Mara").doesNotContain(WITHHELD);

    // Nothing at rest holds the token: the outbox notice, the message (its variables, content and history).
    assertThat(rows(clinic, "SELECT payload::text AS t FROM outbox_event WHERE tenant_id = ?::uuid")).isNotEmpty()
        .noneMatch(t -> t.contains(token));
    String stored = Await.until(() -> rows(clinic, "SELECT coalesce(content::text, '') || variables::text AS t"
        + " FROM message WHERE tenant_id = ?::uuid AND topic = 'account.invitation' AND status = 'sent'"),
        found -> !found.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(stored).doesNotContain(token).contains(WITHHELD);
    String listed = expect(api.get("/v1/messages?topic=account.invitation", clinic.token(clinic.admin)), 200).body();
    assertThat(listed).doesNotContain(token).contains(WITHHELD);

    // ...nor the tenant's export archive.
    Map<String, String> archive = exported(clinic);
    assertThat(archive).containsKey("tables/outbox_event.ndjson").containsKey("tables/message.ndjson");
    archive.forEach((file, text) -> assertThat(text).as(file).doesNotContain(token));

    // The link works: it opens the patient's account, once.
    JsonObject accept = new JsonObject().put("token", token).put("password", "a-long-patient-password")
        .put("displayName", "Mara");
    JsonObject session = expect(api.post("/v1/invitations/accept", null, accept), 200).json();
    assertThat(session.getJsonObject("activeTenant").getString("patientId")).isEqualTo(patientId);
    expect(api.post("/v1/invitations/accept", null, accept), 409);
  }

  @Test
  void anInvitationGoesByEmailOnlyWhateverThePatientsChannelsAndItsWordingMustCarryTheLink() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    expect(api.put("/v1/engagement/templates/account.invitation/sms/en", admin, new JsonObject()
        .put("body", "Your account: {{link}}")), 422);
    expect(api.put("/v1/engagement/templates/account.invitation/email/en", admin, new JsonObject()
        .put("subject", "Welcome").put("body", "Welcome to {{tenantName}}.")), 422);
    expect(api.put("/v1/engagement/templates/account.invitation/email/en", admin, new JsonObject()
        .put("subject", "Welcome").put("body", "Welcome to {{tenantName}}: {{link}}")), 200);
  }

  private List<String> rows(Clinic clinic, String sql) {
    return Sql.query(platform.superuser(clinic.tenant), sql, clinic.tenant.id().toString()).stream()
        .map(r -> (String) r.get("t")).toList();
  }

  private Map<String, String> exported(Clinic clinic) throws IOException {
    String admin = clinic.token(clinic.admin);
    String job = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/exports", admin, new JsonObject()), 202)
        .header("Location");
    JsonObject done = Await.until(() -> expect(api.get(job, admin), 200).json(),
        j -> !"running".equals(j.getString("state")), Duration.ofSeconds(60));
    assertThat(done.getString("state")).isEqualTo("succeeded");
    Map<String, String> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(api.bytes(job + "/archive", admin)))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
