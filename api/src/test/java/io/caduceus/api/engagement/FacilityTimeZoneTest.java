package io.caduceus.api.engagement;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.FacilityRows;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A visit at a facility with a time zone of its own is told in the facility's local time: its reminder (from the
 * scheduler) and its booking notice, while the tenant itself keeps New York's zone.
 */
class FacilityTimeZoneTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aReminderOfAVisitAtAFacilityInAnotherZoneIsToldInThatZone() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("dailyCap", 20)
        .put("reminderOffsetsMinutes", new JsonArray().add(1440).add(120));
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    String tokyo = FacilityRows.add(clinic, "Tokyo clinic", TOKYO.getId());
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", admin,
        new JsonObject().put("facilityIds", new JsonArray().add(tokyo))), 200);
    String patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Sato")
            .put("given", "Yui")).put("birthDate", "1985-02-02").put("sex", "female")
        .put("contact", new JsonObject().put("email", "yui@example.test"))).getString("id");
    Instant start = Instant.now().plus(90, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("facilityId", tokyo).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString())), 201);

    for (String topic : new String[] {"appointment.reminder", "appointment.booked"}) {
      JsonObject sent = Await.until(() -> expect(api.get("/v1/messages?topic=" + topic + "&patientId=" + patientId,
              admin), 200).items(),
          items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
      JsonObject content = sent.getJsonObject("content");
      String body = content.getString("body");
      assertThat(body).as(topic).contains(local(start, TOKYO, content.getString("locale")))
          .doesNotContain(local(start, ZoneId.of("America/New_York"), content.getString("locale")));
    }
  }

  private static String local(Instant at, ZoneId zone, String locale) {
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
        .withLocale(Locale.forLanguageTag(locale)).withZone(zone).format(at);
  }
}
