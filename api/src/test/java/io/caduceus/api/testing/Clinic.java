package io.caduceus.api.testing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestTenant;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.catalog.TenantKind;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clinic tenant with its staff, built through the API, so tests can say "a clinic with a patient and an
 * appointment" in one line.
 */
public final class Clinic {

  private static final AtomicInteger SLOTS = new AtomicInteger();

  public final TestPlatform platform;
  public final TestTenant tenant;
  public final TestUser admin;
  public final TestUser desk;
  public final TestUser doctor;
  public final TestUser nurse;
  public final String practitionerId;
  private final AtomicInteger dueSlots = new AtomicInteger();

  private Clinic(TestPlatform platform, String region, IsolationTier tier) {
    this.platform = platform;
    this.tenant = platform.tenant(TenantKind.CLINIC, region, tier);
    this.admin = platform.user(tenant, "tenant_admin");
    this.desk = platform.user(tenant, "receptionist");
    this.doctor = platform.user(tenant, "physician");
    this.nurse = platform.user(tenant, "nurse");
    Api.Response p = platform.api().post("/v1/practitioners", token(admin), new JsonObject()
        .put("userId", doctor.id().toString())
        .put("name", new JsonObject().put("family", "Doctor").put("given", "Test")));
    expect(p, 201);
    this.practitionerId = p.json().getString("id");
  }

  /** A new clinic in the region. */
  public static Clinic in(String region) {
    return in(region, IsolationTier.SHARED);
  }

  /** A new clinic in the region, in the given isolation tier. */
  public static Clinic in(String region, IsolationTier tier) {
    return new Clinic(TestPlatform.get(), region, tier);
  }

  /** The user's access token. */
  public String token(TestUser user) {
    return platform.token(user);
  }

  /** Registers a patient as the front desk and returns the created representation. */
  public JsonObject patient(String family, String given) {
    return patient(new JsonObject().put("name", new JsonObject().put("family", family).put("given", given))
        .put("birthDate", "1970-01-01").put("sex", "female"));
  }

  /** Registers a patient from a full body (sent by a physician, who may write every section but identifiers). */
  public JsonObject patient(JsonObject body) {
    Api.Response r = platform.api().post("/v1/patients", token(desk), body);
    expect(r, 201);
    return r.json();
  }

  /**
   * Registers a patient whose record the doctor has read and who has a booked visit, so the clinic's audit trail
   * holds some history; returns the patient's id.
   */
  public String patientWithHistory(String family, String given) {
    String id = patient(family, given).getString("id");
    expect(platform.api().get("/v1/patients/" + id, token(doctor)), 200);
    appointment(id);
    return id;
  }

  /** Books the patient with the clinic's practitioner at a fresh, never-overlapping slot. */
  public JsonObject appointment(String patientId) {
    Instant start = nextSlot();
    Api.Response r = platform.api().post("/v1/appointments", token(desk), new JsonObject()
        .put("patientId", patientId).put("practitionerId", practitionerId)
        .put("start", start.toString()).put("end", start.plus(30, ChronoUnit.MINUTES).toString()));
    expect(r, 201);
    return r.json();
  }

  /**
   * Books the patient into a ten-minute visit that has already started, so it may be checked in and fulfilled now
   * whatever the clinic's time zone; each call takes the quarter hour before the previous one.
   */
  public JsonObject dueAppointment(String patientId) {
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(15L * dueSlots.incrementAndGet(),
        ChronoUnit.MINUTES);
    Api.Response r = platform.api().post("/v1/appointments", token(desk), new JsonObject()
        .put("patientId", patientId).put("practitionerId", practitionerId)
        .put("start", start.toString()).put("end", start.plus(10, ChronoUnit.MINUTES).toString()));
    expect(r, 201);
    return r.json();
  }

  /** A 30-minute slot in the future that no other test has used. */
  public static Instant nextSlot() {
    return Instant.parse("2030-01-01T08:00:00Z").plus(SLOTS.incrementAndGet(), ChronoUnit.HOURS);
  }

  /** A random id no tenant owns. */
  public static String unknownId() {
    return UUID.randomUUID().toString();
  }

  /** Fails with the response body when the status is not the expected one. */
  public static Api.Response expect(Api.Response r, int status) {
    if (r.status() != status) {
      throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.body());
    }
    return r;
  }
}
