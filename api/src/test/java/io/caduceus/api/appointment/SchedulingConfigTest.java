package io.caduceus.api.appointment;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.FacilityRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Booking obeys the "scheduling" configuration of the visit's practitioner at its facility: the default length, the
 * slot grid, the buffer after each visit and overbooking, the practitioner's level beating the facility's and the
 * facility's the tenant's.
 */
class SchedulingConfigTest extends ClinicFixture {

  private String admin;
  private String desk;
  private String base;

  @BeforeEach
  void tokens() {
    admin = clinic.token(clinic.admin);
    desk = clinic.token(clinic.desk);
    base = "/v1/tenants/" + clinic.tenant.id() + "/config/scheduling/scopes/";
  }

  @Test
  void aBookingWithoutAnEndLastsTheDefaultOfTheMostSpecificLevel() {
    String patient = patient("Length");
    // The schema's default with nothing set: 30 minutes.
    assertThat(length(expect(book(patient, Clinic.nextSlot(), null), 201).json())).isEqualTo(Duration.ofMinutes(30));
    configure("tenant", new JsonObject().put("defaultDurationMinutes", 45));
    assertThat(length(expect(book(patient, Clinic.nextSlot(), null), 201).json())).isEqualTo(Duration.ofMinutes(45));
    String site = FacilityRows.add(clinic, "Lengthy", null);
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", admin,
        new JsonObject().put("facilityIds", new JsonArray().add(site))), 200);
    configure("facility:" + site, new JsonObject().put("defaultDurationMinutes", 20));
    assertThat(length(expect(book(patient, Clinic.nextSlot(), site), 201).json())).isEqualTo(Duration.ofMinutes(20));
    // The practitioner is the clinic's doctor: their own level beats their facility's.
    configure("user:" + clinic.doctor.id(), new JsonObject().put("defaultDurationMinutes", 60));
    JsonObject booked = expect(book(patient, Clinic.nextSlot(), site), 201).json();
    assertThat(length(booked)).isEqualTo(Duration.ofMinutes(60));
    // A move of the start without an end gets the default length too; an end given is kept.
    Instant later = Clinic.nextSlot();
    JsonObject moved = expect(api.patch("/v1/appointments/" + booked.getString("id"), desk,
        new JsonObject().put("start", later.toString()), "\"1\""), 200).json();
    assertThat(Instant.parse(moved.getString("start"))).isEqualTo(later);
    assertThat(length(moved)).isEqualTo(Duration.ofMinutes(60));
    JsonObject explicit = expect(api.post("/v1/appointments", desk, body(patient, Clinic.nextSlot(), null)
        .put("end", later.plus(2, ChronoUnit.HOURS).plus(15, ChronoUnit.MINUTES).toString())), 201).json();
    assertThat(Instant.parse(explicit.getString("end"))).isEqualTo(later.plus(2, ChronoUnit.HOURS)
        .plus(15, ChronoUnit.MINUTES));
  }

  @Test
  void aStartOffTheSlotGridIs422NamingStartAndTheRule() {
    String patient = patient("Grid");
    Instant hour = Clinic.nextSlot();
    // Nothing sets a grid: any minute books, as before.
    expect(book(patient, hour.plus(7, ChronoUnit.MINUTES), null), 201);
    configure("tenant", new JsonObject().put("slotIncrementMinutes", 30));
    Instant next = Clinic.nextSlot();
    Api.Response off = expect(book(patient, next.plus(10, ChronoUnit.MINUTES), null), 422);
    assertThat(off.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/start");
    assertThat(off.json().getString("detail")).contains("slotIncrementMinutes").contains("30-minute");
    String id = expect(book(patient, next.plus(30, ChronoUnit.MINUTES), null), 201).json().getString("id");
    expect(api.patch("/v1/appointments/" + id, desk,
        new JsonObject().put("start", Clinic.nextSlot().plus(5, ChronoUnit.MINUTES).toString()), "\"1\""), 422);
    // A change that keeps the start (only the reason) is not checked against the grid.
    expect(api.patch("/v1/appointments/" + id, desk, new JsonObject().put("reason", "follow-up"), "\"1\""), 200);
  }

  @Test
  void aVisitStartingInsideAnothersBufferIsTheSameConflictAsAnOverlap() {
    String patient = patient("Buffer");
    Instant start = Clinic.nextSlot();
    expect(book(patient, start, null), 201);
    // No buffer: a visit right after the first books.
    expect(book(patient, start.plus(30, ChronoUnit.MINUTES), null), 201);
    configure("tenant", new JsonObject().put("bufferMinutes", 15));
    Instant next = Clinic.nextSlot();
    expect(book(patient, next, null), 201);
    Api.Response inBuffer = expect(book(patient, next.plus(40, ChronoUnit.MINUTES), null), 409);
    assertThat(inBuffer.json().getString("detail")).contains("buffer");
    expect(book(patient, next.plus(45, ChronoUnit.MINUTES), null), 201);
  }

  @Test
  void overbookingLetsUpToMaxPerSlotVisitsOverlapAndNoMoreEvenWhenBookedAtOnce() throws Exception {
    String patient = patient("Overbooked");
    Instant start = Clinic.nextSlot();
    expect(book(patient, start, null), 201);
    expect(book(patient, start, null), 409);
    configure("tenant", new JsonObject().put("overbooking", new JsonObject().put("enabled", true)
        .put("maxPerSlot", 2)));
    expect(book(patient, start, null), 201);
    expect(book(patient, start.plus(15, ChronoUnit.MINUTES), null), 409);

    // Six bookings of one slot at once: never more than two pass; the rest are 409s, never a 5xx.
    Instant contested = Clinic.nextSlot();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Api.Response>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        sent.add(pool.submit(() -> book(patient, contested, null)));
      }
      int booked = 0;
      for (Future<Api.Response> f : sent) {
        int status = f.get().status();
        assertThat(status).isIn(201, 409);
        booked += status == 201 ? 1 : 0;
      }
      assertThat(booked).isBetween(1, 2);
      // Whatever the race left free is taken one by one, up to two in all.
      while (booked < 2) {
        expect(book(patient, contested, null), 201);
        booked++;
      }
      expect(book(patient, contested, null), 409);
    } finally {
      pool.shutdown();
    }
    assertThat(expect(api.get("/v1/appointments?practitionerId=" + clinic.practitionerId + "&from="
        + contested + "&to=" + contested.plus(1, ChronoUnit.HOURS), desk), 200).items().size()).isEqualTo(2);
  }

  private void configure(String scope, JsonObject values) {
    expect(api.send("PUT", base + scope, admin, values.encode(), Map.of("If-Match", "\"0\"")), 200);
  }

  private String patient(String family) {
    return clinic.patient(family, "Sam").getString("id");
  }

  private Api.Response book(String patient, Instant start, String facility) {
    return api.post("/v1/appointments", desk, body(patient, start, facility));
  }

  private JsonObject body(String patient, Instant start, String facility) {
    JsonObject body = new JsonObject().put("patientId", patient).put("practitionerId", clinic.practitionerId)
        .put("start", start.toString());
    return facility == null ? body : body.put("facilityId", facility);
  }

  private static Duration length(JsonObject appointment) {
    return Duration.between(Instant.parse(appointment.getString("start")), Instant.parse(appointment.getString("end")));
  }
}
