package io.caduceus.api.tiers;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background loops find a tenant's work in its own schema or database: the engagement intake turns its booking
 * into a message, and the audit sealer seals its trail, with no one prompting either.
 */
class TierBackgroundTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @ParameterizedTest
  @EnumSource(value = IsolationTier.class, names = {"SCHEMA", "DATABASE"})
  void theLoopsReachATenantOutsideTheSharedTables(IsolationTier tier) {
    Clinic clinic = Clinic.in("us", tier);
    String admin = clinic.token(clinic.admin);
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Placed")
            .put("given", "Pat")).put("birthDate", "1985-06-07").put("sex", "female")
        .put("contact", new JsonObject().put("phone", "+1 555 0142"))).getString("id");
    clinic.appointment(patient);

    JsonArray messages = Await.until(() -> expect(api.get("/v1/messages?patientId=" + patient, admin), 200)
        .items(), items -> !items.isEmpty(), Duration.ofSeconds(60));
    assertThat(messages.getJsonObject(0).getString("topic")).isEqualTo("appointment.booked");

    JsonObject verdict = Await.until(() -> expect(api.get("/v1/audit-events/verify", admin), 200).json(),
        v -> v.getInteger("sealedEvents") > 0 && v.getInteger("unsealedEvents") == 0, Duration.ofSeconds(60));
    assertThat(verdict.getBoolean("intact")).isTrue();
  }
}
