package io.caduceus.api.roles;

import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.RestartableRedis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role change bites on the member's very next request whichever node serves it, and a Redis flush brings no
 * stale permission back: two nodes share a Redis this test owns, the change is made through one and the member's
 * next request goes to the other, which has the member's old access cached.
 */
class RolesAcrossNodesTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static RestartableRedis redis;
  private static Application first;
  private static Application second;
  private static Api one;
  private static Api two;

  @BeforeAll
  static void twoNodesOnARedisOfTheirOwn() throws IOException {
    redis = RestartableRedis.start(Files.createTempDirectory("caduceus-roles-redis"));
    first = platform.sibling(Map.of("CADUCEUS_REDIS_URL", redis.url()));
    second = platform.sibling(Map.of("CADUCEUS_REDIS_URL", redis.url()));
    one = new Api(first.port());
    two = new Api(second.port());
  }

  @AfterAll
  static void stopAll() {
    for (Application started : new Application[] {second, first}) {
      if (started != null) {
        await(started.stop());
      }
    }
    redis.close();
  }

  private static Api.Response book(Api api, Clinic clinic, String token, String patientId) {
    Instant start = Clinic.nextSlot();
    return api.post("/v1/appointments", token, new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString()));
  }

  @Test
  void aRoleChangeMadeOnOneNodeIsRefusedOnTheOtherAtTheNextRequestAndAfterAFlush() {
    Clinic clinic = Clinic.in("us");
    TestUser manager = platform.user(clinic.tenant, "tenant_admin", "receptionist");
    String admin = clinic.token(manager);
    String nurse = clinic.token(clinic.nurse);
    String patient = clinic.patient("Nodes", "Di").getString("id");
    String roles = "/v1/tenants/" + clinic.tenant.id() + "/roles";
    Api.Response created = expect(one.post(roles, admin, new JsonObject().put("name", "Charge nurse")
        .put("basedOn", "nurse").put("permissions", List.of("appointment.book", "appointment.reschedule"))), 201);
    String role = roles + "/" + created.json().getString("id");
    expect(one.put("/v1/tenants/" + clinic.tenant.id() + "/users/" + clinic.nurse.id() + "/tenant-roles", admin,
        new JsonObject().put("roleIds", List.of(created.json().getString("id")))), 200);
    // Both nodes now hold the nurse's access with booking in their caches.
    expect(book(one, clinic, nurse, patient), 201);
    expect(book(two, clinic, nurse, patient), 201);

    Api.Response changed = expect(one.send("PUT", role, admin, new JsonObject().put("name", "Charge nurse")
        .put("basedOn", "nurse").put("permissions", List.of("appointment.reschedule")).encode(),
        Map.of("If-Match", created.header("ETag"))), 200);
    expect(book(two, clinic, nurse, patient), 403);
    expect(book(one, clinic, nurse, patient), 403);

    // Redis forgets everything, versions included: no node may fall back to what it cached.
    redis.flushAll();
    expect(book(two, clinic, nurse, patient), 403);
    expect(book(one, clinic, nurse, patient), 403);

    // And a change made while the flags are being rebuilt bites just the same.
    expect(two.send("PUT", role, admin, new JsonObject().put("name", "Charge nurse").put("basedOn", "nurse")
        .put("permissions", List.of("appointment.book")).encode(), Map.of("If-Match", changed.header("ETag"))), 200);
    expect(book(one, clinic, nurse, patient), 201);
    redis.flushAll();
    expect(two.delete(role, admin), 204);
    expect(book(one, clinic, nurse, patient), 403);
    assertThat(expect(two.get("/v1/auth/me/permissions", nurse), 200).json().getJsonArray("tenantRoles")).isEmpty();
  }
}
