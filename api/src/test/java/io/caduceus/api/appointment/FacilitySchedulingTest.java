package io.caduceus.api.appointment;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.FacilityRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduling by facility: practitioners serve several sites, rooms are shared and hold one visit at a time, the
 * listing filters by site and room, and a tenant without facilities books as before.
 */
class FacilitySchedulingTest extends ClinicFixture {

  private String admin;
  private String desk;
  private String patientId;

  @BeforeEach
  void aPatient() {
    admin = clinic.token(clinic.admin);
    desk = clinic.token(clinic.desk);
    patientId = clinic.patient("Sited", "Sam").getString("id");
  }

  @Test
  void aTenantWithoutFacilitiesBooksAndReschedulesWithoutOneAsBefore() {
    Instant start = Clinic.nextSlot();
    JsonObject booked = expect(book(clinic.practitionerId, start, null, null), 201).json();
    assertThat(booked.containsKey("facilityId")).isFalse();
    assertThat(booked.containsKey("roomId")).isFalse();
    Instant later = Clinic.nextSlot();
    JsonObject moved = expect(api.patch("/v1/appointments/" + booked.getString("id"), desk, new JsonObject()
        .put("start", later.toString()).put("end", later.plus(30, ChronoUnit.MINUTES).toString()), "\"1\""), 200).json();
    assertThat(moved.getString("start")).isEqualTo(later.toString());
    assertThat(moved.containsKey("facilityId")).isFalse();
  }

  @Test
  void aVisitInPersonNamingNoFacilityIsHeldAtItsPractitionersOnlyOneOrMustNameIt() {
    Instant start = Clinic.nextSlot();
    String old = expect(book(clinic.practitionerId, start, null, null), 201).json().getString("id");
    String site = FacilityRows.add(clinic, "Riverside North", null);
    // A practitioner who serves no facility books as before: clients that never name one keep working.
    assertThat(expect(book(clinic.practitionerId, Clinic.nextSlot(), null, null), 201).json()
        .containsKey("facilityId")).isFalse();
    serve(clinic.practitionerId, site);
    assertThat(expect(book(clinic.practitionerId, Clinic.nextSlot(), null, null), 201).json()
        .getString("facilityId")).isEqualTo(site);
    String other = FacilityRows.add(clinic, "Riverside South", null);
    serve(clinic.practitionerId, site, other);
    Api.Response refused = expect(book(clinic.practitionerId, Clinic.nextSlot(), null, null), 422);
    assertThat(pointers(refused)).containsExactly("/facilityId");
    expect(book(clinic.practitionerId, Clinic.nextSlot(), other, null), 201);
    // A visit booked before the tenant had facilities can still be moved in time without naming one.
    Instant later = Clinic.nextSlot();
    expect(api.patch("/v1/appointments/" + old, desk, new JsonObject().put("start", later.toString())
        .put("end", later.plus(30, ChronoUnit.MINUTES).toString()), "\"1\""), 200);
  }

  @Test
  void aPractitionerServingTwoFacilitiesBooksAtBothAndNowhereElse() {
    String north = FacilityRows.add(clinic, "North", null);
    String south = FacilityRows.add(clinic, "South", null);
    String east = FacilityRows.add(clinic, "East", null);
    JsonObject served = serve(clinic.practitionerId, north, south);
    assertThat(served.getJsonArray("facilityIds").getList()).containsExactlyInAnyOrder(north, south);
    assertThat(expect(api.get("/v1/practitioners/" + clinic.practitionerId + "/facilities", desk), 200).json()
        .getJsonArray("facilityIds").getList()).containsExactlyInAnyOrder(north, south);
    JsonObject atNorth = expect(book(clinic.practitionerId, Clinic.nextSlot(), north, null), 201).json();
    JsonObject atSouth = expect(book(clinic.practitionerId, Clinic.nextSlot(), south, null), 201).json();
    assertThat(atNorth.getString("facilityId")).isEqualTo(north);
    assertThat(atSouth.getString("facilityId")).isEqualTo(south);
    Api.Response refused = expect(book(clinic.practitionerId, Clinic.nextSlot(), east, null), 422);
    assertThat(pointers(refused)).containsExactly("/facilityId");
    assertThat(refused.json().getString("detail")).contains("does not serve");
    expect(book(clinic.practitionerId, Clinic.nextSlot(), Clinic.unknownId(), null), 404);
    // Moving a visit to a site its practitioner does not serve is refused the same way, and changes nothing.
    expect(api.patch("/v1/appointments/" + atNorth.getString("id"), desk, new JsonObject().put("facilityId", east),
        "\"1\""), 422);
    assertThat(expect(api.get("/v1/appointments/" + atNorth.getString("id"), desk), 200).json()
        .getString("facilityId")).isEqualTo(north);
    // Setting the facilities replaces them: the practitioner no longer serves the north site.
    serve(clinic.practitionerId, south, east);
    expect(book(clinic.practitionerId, Clinic.nextSlot(), north, null), 422);
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", admin, new JsonObject()
        .put("facilityIds", new JsonArray().add(Clinic.unknownId()))), 404);
    expect(api.put("/v1/practitioners/" + clinic.practitionerId + "/facilities", desk, new JsonObject()
        .put("facilityIds", new JsonArray().add(north))), 403);
  }

  @Test
  void aRoomSharedByTwoPractitionersHoldsOneVisitAtATime() {
    String site = FacilityRows.add(clinic, "Main site", null);
    String second = practitioner("Second");
    String third = practitioner("Third");
    serve(clinic.practitionerId, site);
    serve(second, site);
    serve(third, site);
    String room = room(site, "Exam 1");
    String otherRoom = room(site, "Exam 2");
    Instant start = Clinic.nextSlot();
    JsonObject first = expect(book(clinic.practitionerId, start, site, room), 201).json();
    assertThat(first.getString("roomId")).isEqualTo(room);
    Api.Response taken = expect(book(second, start.plus(10, ChronoUnit.MINUTES), site, room), 409);
    assertThat(taken.json().getString("detail")).contains("room");
    // The second practitioner is free then, in another room; the room is free again once the first visit ends.
    expect(book(second, start.plus(10, ChronoUnit.MINUTES), site, otherRoom), 201);
    expect(book(third, start.plus(30, ChronoUnit.MINUTES), site, room), 201);
    expect(book(third, start, site, room), 409);
    // Rescheduling into a taken room is refused like a booking.
    Instant later = Clinic.nextSlot();
    expect(book(clinic.practitionerId, later, site, room), 201);
    String moving = expect(book(second, later, site, otherRoom), 201).json().getString("id");
    expect(api.patch("/v1/appointments/" + moving, desk, new JsonObject().put("roomId", room), "\"1\""), 409);
    // Cancelling a visit frees its room.
    expect(api.post("/v1/appointments/" + first.getString("id") + "/status", desk,
        new JsonObject().put("status", "cancelled")), 200);
    expect(book(third, start, site, room), 201);
  }

  @Test
  void aRoomBelongsToItsFacilityAndARetiredRoomTakesNoBooking() {
    String north = FacilityRows.add(clinic, "North", null);
    String south = FacilityRows.add(clinic, "South", null);
    serve(clinic.practitionerId, north, south);
    String northRoom = room(north, "Procedure A");
    Api.Response elsewhere = expect(book(clinic.practitionerId, Clinic.nextSlot(), south, northRoom), 422);
    assertThat(pointers(elsewhere)).containsExactly("/roomId");
    expect(book(clinic.practitionerId, Clinic.nextSlot(), north, Clinic.unknownId()), 404);
    expect(api.post("/v1/rooms", admin, new JsonObject().put("facilityId", north).put("name", "procedure a")), 409);
    expect(api.post("/v1/rooms", admin, new JsonObject().put("facilityId", Clinic.unknownId()).put("name", "X")), 404);
    expect(api.post("/v1/rooms", desk, new JsonObject().put("facilityId", north).put("name", "Desk's")), 403);
    JsonObject read = expect(api.get("/v1/rooms/" + northRoom, desk), 200).json();
    assertThat(read.getString("facilityId")).isEqualTo(north);
    assertThat(read.getString("kind")).isEqualTo("procedure");
    JsonObject retired = expect(api.patch("/v1/rooms/" + northRoom, admin, new JsonObject().put("status", "retired"),
        "\"1\""), 200).json();
    assertThat(retired.getString("status")).isEqualTo("retired");
    assertThat(retired.getInteger("version")).isEqualTo(2);
    expect(api.patch("/v1/rooms/" + northRoom, admin, new JsonObject().put("name", "Stale"), "\"1\""), 412);
    assertThat(pointers(expect(book(clinic.practitionerId, Clinic.nextSlot(), north, northRoom), 422)))
        .containsExactly("/roomId");
    String southRoom = room(south, "Exam S");
    assertThat(ids(expect(api.get("/v1/rooms?facilityId=" + north, desk), 200))).containsExactly(northRoom);
    assertThat(ids(expect(api.get("/v1/rooms?status=active", desk), 200))).containsExactly(southRoom);
    assertThat(ids(expect(api.get("/v1/rooms", desk), 200))).containsExactly(southRoom, northRoom);
  }

  @Test
  void aVisitMovedToAnotherFacilityLeavesItsRoomBehind() {
    String north = FacilityRows.add(clinic, "North", null);
    String south = FacilityRows.add(clinic, "South", null);
    serve(clinic.practitionerId, north, south);
    JsonObject booked = expect(book(clinic.practitionerId, Clinic.nextSlot(), north, room(north, "N1")), 201).json();
    JsonObject moved = expect(api.patch("/v1/appointments/" + booked.getString("id"), desk,
        new JsonObject().put("facilityId", south), "\"1\""), 200).json();
    assertThat(moved.getString("facilityId")).isEqualTo(south);
    assertThat(moved.containsKey("roomId")).isFalse();
    String southRoom = room(south, "S1");
    assertThat(expect(api.patch("/v1/appointments/" + booked.getString("id"), desk,
        new JsonObject().put("roomId", southRoom), "\"2\""), 200).json().getString("roomId")).isEqualTo(southRoom);
  }

  @Test
  void theListingByFacilityOrRoomHoldsOnlyItsVisitsPageByPage() {
    String north = FacilityRows.add(clinic, "North", null);
    String south = FacilityRows.add(clinic, "South", null);
    serve(clinic.practitionerId, north, south);
    String northRoom = room(north, "N1");
    List<String> atNorth = new ArrayList<>();
    List<String> inRoom = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      atNorth.add(expect(book(clinic.practitionerId, Clinic.nextSlot(), north, null), 201).json().getString("id"));
      expect(book(clinic.practitionerId, Clinic.nextSlot(), south, null), 201);
      String id = expect(book(clinic.practitionerId, Clinic.nextSlot(), north, northRoom), 201).json().getString("id");
      atNorth.add(id);
      inRoom.add(id);
    }
    assertThat(pages("/v1/appointments?limit=1&facilityId=" + north)).containsExactlyElementsOf(atNorth);
    assertThat(pages("/v1/appointments?limit=1&roomId=" + northRoom)).containsExactlyElementsOf(inRoom);
    assertThat(pages("/v1/appointments?limit=2&facilityId=" + north + "&roomId=" + northRoom))
        .containsExactlyElementsOf(inRoom);
    assertThat(pages("/v1/appointments?limit=1&facilityId=" + south + "&roomId=" + northRoom)).isEmpty();
    assertThat(pages("/v1/appointments?limit=2&facilityId=" + south)).hasSize(3).doesNotContainAnyElementsOf(atNorth);
    assertThat(pages("/v1/appointments?limit=5")).hasSize(9);
  }

  /**
   * Check-in never opens before the visit's day begins where the visit is held: at a facility whose zone puts the
   * start at its local midnight, checking in now (one to two hours before) answers 409 there, while the same visit at
   * a site in the tenant's zone, where that day has begun, checks in.
   */
  @Test
  void checkInWaitsForTheVisitsDayInItsFacilitysZone() {
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
    int hour = start.atZone(ZoneOffset.UTC).getHour();
    int offset = hour == 0 ? 0 : hour <= 12 ? -hour : 24 - hour; // the offset at which the start is local midnight
    String pastMidnight = FacilityRows.add(clinic, "Past midnight", ZoneOffset.ofHours(offset).getId());
    String home = FacilityRows.add(clinic, "Home", null);
    serve(clinic.practitionerId, pastMidnight, home);
    String visit = expect(book(clinic.practitionerId, start, pastMidnight, null), 201).json().getString("id");
    Api.Response early = expect(api.post("/v1/appointments/" + visit + "/status", desk,
        new JsonObject().put("status", "checked_in")), 409);
    assertThat(early.json().getString("detail")).contains("check-in opens");
    ZoneId tenantZone = ZoneId.of("America/New_York");
    if (start.atZone(tenantZone).toLocalDate().equals(Instant.now().atZone(tenantZone).toLocalDate())) {
      expect(api.patch("/v1/appointments/" + visit, desk, new JsonObject().put("facilityId", home), "\"1\""), 200);
      expect(api.post("/v1/appointments/" + visit + "/status", desk, new JsonObject().put("status", "checked_in")),
          200);
    }
  }

  /** Every id of a listing, following its cursors. */
  private List<String> pages(String first) {
    List<String> ids = new ArrayList<>();
    String path = first;
    for (int page = 0; page < 50; page++) {
      JsonObject body = expect(api.get(path, desk), 200).json();
      body.getJsonArray("items").forEach(a -> ids.add(((JsonObject) a).getString("id")));
      String next = body.getString("nextCursor");
      if (next == null) {
        return ids;
      }
      path = first + "&cursor=" + next;
    }
    throw new AssertionError("the listing did not end in 50 pages");
  }

  private Api.Response book(String practitionerId, Instant start, String facilityId, String roomId) {
    JsonObject body = new JsonObject().put("patientId", patientId).put("practitionerId", practitionerId)
        .put("start", start.toString()).put("end", start.plus(30, ChronoUnit.MINUTES).toString());
    if (facilityId != null) {
      body.put("facilityId", facilityId);
    }
    if (roomId != null) {
      body.put("roomId", roomId);
    }
    return api.post("/v1/appointments", desk, body);
  }

  private JsonObject serve(String practitionerId, String... facilityIds) {
    return expect(api.put("/v1/practitioners/" + practitionerId + "/facilities", admin,
        new JsonObject().put("facilityIds", new JsonArray(List.of((Object[]) facilityIds)))), 200).json();
  }

  private String practitioner(String family) {
    return expect(api.post("/v1/practitioners", admin, new JsonObject()
        .put("name", new JsonObject().put("family", family))), 201).json().getString("id");
  }

  private String room(String facilityId, String name) {
    return expect(api.post("/v1/rooms", admin, new JsonObject().put("facilityId", facilityId).put("name", name)
        .put("kind", name.startsWith("Procedure") ? "procedure" : "exam")), 201).json().getString("id");
  }

  private static List<String> pointers(Api.Response problem) {
    return problem.json().getJsonArray("errors", new JsonArray()).stream()
        .map(e -> ((JsonObject) e).getString("pointer")).toList();
  }

  private static List<String> ids(Api.Response page) {
    return page.items().stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }
}
