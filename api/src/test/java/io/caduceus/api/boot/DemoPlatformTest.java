package io.caduceus.api.boot;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.DemoLogins;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The demo the README walks through: seeded once on an empty platform, usable with the printed logins. */
class DemoPlatformTest {

  @Test
  void theDemoIsSeededOnceAndItsLoginsWork() {
    Map<String, String> env = environment();
    Application first = await(Application.start(ConfigLoader.resolve(new JsonObject(), env)));
    try {
      assertThat(first.demo().logins()).isEqualTo(DemoPlatform.LOGINS).hasSize(16);
      Api api = new Api(first.port());
      // Every account the banner prints signs in, with the role and the tenants (and their regions) it shows.
      for (DemoPlatform.Login printed : first.demo().logins()) {
        assertThat(tenantsWithRole(login(api, printed.email()), printed.role())).as(printed.email())
            .containsExactlyInAnyOrder(printed.tenants().split(", "));
      }
      String desk = login(api, "frontdesk@riverside.test").getString("accessToken");
      assertThat(expect(api.get("/v1/patients", desk), 200).items()).hasSize(4);
      assertThat(expect(api.get("/v1/appointments", desk), 200).items()).hasSize(5);
      // Riverside offers virtual visits, and Maria has one today.
      assertThat(expect(api.get("/v1/appointments", desk), 200).items().stream().map(JsonObject.class::cast)
          .filter(a -> "virtual".equals(a.getString("modality")) && a.getString("sessionId") != null)).hasSize(1);
      JsonObject maria = login(api, "maria.garcia@patient.test");
      String patientId = maria.getJsonObject("activeTenant").getString("patientId");
      JsonObject record = expect(api.get("/v1/patients/" + patientId, maria.getString("accessToken")), 200).json();
      assertThat(record.getJsonObject("clinical").getJsonArray("allergies")).containsExactly("penicillin");
      assertThat(login(api, "dr.rivera@riverside.test").getJsonArray("memberships")).hasSize(2);
      assertThat(expect(api.get("/v1/platform/tenants", login(api, "owner@caduceus.test").getString("accessToken")),
          200).items()).hasSize(6);
      assertThat(expect(api.get("/v1/partner-links", login(api, "admin@riverside.test").getString("accessToken")), 200)
          .items().stream().map(l -> ((JsonObject) l).getString("scope")))
          .containsExactlyInAnyOrder("lab_orders", "prescriptions", "claims");
      assertThat(expect(api.get("/v1/partner-links", login(api, "tech@northside-lab.test").getString("accessToken")),
          200).items()).hasSize(1);
      // Billing works on the demo: Riverside's fee schedule, and Maria's coverage at Acme answers her eligibility.
      assertThat(expect(api.get("/v1/fees", login(api, "billing@riverside.test").getString("accessToken")), 200)
          .items()).hasSize(4);
      String insurer = expect(api.get("/v1/partner-links", desk), 200).items().stream().map(JsonObject.class::cast)
          .filter(l -> "claims".equals(l.getString("scope"))).findFirst().orElseThrow().getJsonObject("partner")
          .getString("tenantId");
      String visit = expect(api.get("/v1/appointments?patientId=" + patientId, desk), 200).items().getJsonObject(0)
          .getString("id");
      assertThat(expect(api.post("/v1/appointments/" + visit + "/eligibility", desk, new JsonObject()
          .put("insurerTenantId", insurer)), 200).json().getString("status")).isEqualTo("eligible");
      // Dr. Rivera practises in Berlin too, so she can order and prescribe there.
      assertThat(expect(api.get("/v1/practitioners", login(api, "admin@klinik-berlin.test").getString("accessToken")),
          200).items()).hasSize(1);
    } finally {
      await(first.stop());
    }
    Application again = await(Application.start(ConfigLoader.resolve(new JsonObject(), environment(env))));
    try {
      Api api = new Api(again.port());
      String desk = login(api, "frontdesk@riverside.test").getString("accessToken");
      assertThat(expect(api.get("/v1/patients", desk), 200).items()).hasSize(4);
    } finally {
      await(again.stop());
    }
  }

  @Test
  void theReadmeListsEveryLoginTheStartBannerPrints() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
    int header = readme.indexOf("| email | role | tenant |");
    assertThat(header).as("README.md's demo-login table").isNotNegative();
    List<DemoPlatform.Login> documented = new ArrayList<>();
    for (String row : readme.subList(header + 2, readme.size())) {
      if (!row.startsWith("|")) {
        break;
      }
      String[] cells = row.substring(1, row.length() - 1).split("\\|");
      documented.add(new DemoPlatform.Login(cells[0].trim().replace("`", ""), cells[1].trim(), cells[2].trim()));
    }
    assertThat(documented).containsExactlyElementsOf(DemoPlatform.LOGINS);
  }

  /** The session's tenants where the user holds {@code role}, each as the banner prints it: "name (region)". */
  private static List<String> tenantsWithRole(JsonObject session, String role) {
    return session.getJsonArray("memberships").stream().map(JsonObject.class::cast)
        .filter(m -> m.getJsonArray("roles").contains(role))
        .map(m -> m.getString("tenantName") + " (" + m.getString("dataRegion") + ")")
        .toList();
  }

  /** A login; the owner and the admins answer the MFA challenge with a code of the demo secret. */
  private static JsonObject login(Api api, String email) {
    return DemoLogins.login(api, new JsonObject().put("email", email).put("password", DemoPlatform.PASSWORD));
  }

  private static Map<String, String> environment() {
    Map<String, String> env = TestPlatform.freshEnvironment();
    env.put("CADUCEUS_HTTP_INSTANCES", "1");
    env.put("CADUCEUS_DEMO_SEED", "true");
    return env;
  }

  /** The same databases and keys, for a restart. */
  private static Map<String, String> environment(Map<String, String> first) {
    return new HashMap<>(first);
  }
}
