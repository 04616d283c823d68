package io.caduceus.api.edge;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.boot.NodeParts;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.api.telehealth.VirtualVisits;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.InvitationTenants;
import io.caduceus.routing.keys.TenantSecrets;
import io.caduceus.routing.router.PublicRoutes;
import io.caduceus.routing.router.RegionResolver;
import io.caduceus.routing.router.Topology;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The region router places a telehealth guest's public code exchange by the clinic its code or key names, as it
 * places an invitation's acceptance by its token; and failed exchanges are throttled per address.
 */
class GuestPassRoutingTest {

  private static final String PASSES = "/v1/telehealth/guest-passes";

  private final TestPlatform platform = TestPlatform.get();
  private final RegionResolver resolver = new RegionResolver(new Topology(Map.of(
      "us", List.of(URI.create("http://127.0.0.1:9")), "eu", List.of(URI.create("http://127.0.0.1:10"))), "us"),
      null, NodeParts.catalog(), new InvitationTenants(NodeParts.controlPlane()));

  @Test
  void aGuestsCodeAndKeyGoToTheRegionOfTheirClinicAndTextNamingNoneGoesHome() {
    assertThat(PublicRoutes.of(PASSES)).isEqualTo(PublicRoutes.Kind.BODY_SECRET);
    Clinic berlin = Clinic.in("eu");
    VirtualVisits visits = new VirtualVisits(berlin);
    visits.settings(new JsonObject().put("virtualVisits", true).put("maxParticipants", 3));
    String patientId = berlin.patient("Gast", "Greta").getString("id");
    String session = VirtualVisits.session(expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES),
        30), 201).json());
    String code = expect(platform.api().post(session + "/guests", berlin.token(berlin.doctor), new JsonObject()
        .put("kind", "interpreter").put("displayName", "Ida")), 201).json().getString("code");

    assertThat(regionOf(new JsonObject().put("code", code))).isEqualTo("eu");
    assertThat(regionOf(new JsonObject().put("key", TenantSecrets.next(berlin.tenant.id())))).isEqualTo("eu");
    assertThat(regionOf(new JsonObject().put("code", TenantSecrets.next(Clinic.in("us").tenant.id()))))
        .isEqualTo("us");
    // Text that names no clinic, or a clinic nobody knows, goes home, whose node answers 404.
    assertThat(regionOf(new JsonObject().put("code", "not-a-code-of-any-clinic"))).isEqualTo("us");
    assertThat(regionOf(new JsonObject().put("code", TenantSecrets.next(new TenantId(UUID.randomUUID())))))
        .isEqualTo("us");
    assertThat(regionOf(new JsonObject().put("code", 42))).isEqualTo("us");
    assertThat(await(resolver.regionOf(HttpMethod.POST, PASSES, null, Buffer.buffer("not json"))).region())
        .isEqualTo("us");
  }

  @Test
  void anAddressThatKeepsPresentingUnknownCodesWaits() {
    LoginThrottle throttle = NodeParts.throttle();
    String address = "203.0.113." + (1 + (int) (Math.random() * 250)) + "-" + UUID.randomUUID();
    await(throttle.admitCode(address));
    // The test node's login limit is 5: an address may fail ten times that in a window.
    for (int i = 0; i < 50; i++) {
      await(throttle.codeFailed(address));
    }
    Throwable refused = failure(throttle.admitCode(address));
    assertThat(refused).isInstanceOf(TooManyRequests.class);
    await(throttle.admitCode("203.0.113.1-" + UUID.randomUUID()));
  }

  private String regionOf(JsonObject body) {
    return await(resolver.regionOf(HttpMethod.POST, PASSES, null, body.toBuffer())).region();
  }
}
