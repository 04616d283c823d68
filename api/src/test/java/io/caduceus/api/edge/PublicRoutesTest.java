package io.caduceus.api.edge;

import io.caduceus.routing.router.PublicRoutes;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The router places every operation of the contract: a public one by what names its tenant, any other by token. */
class PublicRoutesTest {

  @Test
  void everyPublicOperationIsPlacedWithoutATokenAndEveryOtherByItsToken() throws IOException {
    Map<String, Object> contract;
    try (InputStream in = PublicRoutesTest.class.getResourceAsStream("/openapi.yaml")) {
      contract = new Yaml().load(in);
    }
    Map<String, Map<String, Object>> paths = cast(contract.get("paths"));
    int publicOperations = 0;
    for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
      String example = path.getKey().replaceAll("\\{[^}]+}", "00000000-0000-7000-8000-000000000001");
      for (Object op : path.getValue().values()) {
        if (!(op instanceof Map<?, ?> operation) || !operation.containsKey("operationId")) {
          continue;
        }
        boolean isPublic = List.of().equals(operation.get("security"));
        PublicRoutes.Kind kind = PublicRoutes.of(example);
        if (isPublic) {
          publicOperations++;
          assertThat(kind).as(path.getKey()).isNotEqualTo(PublicRoutes.Kind.TOKEN);
        } else {
          assertThat(kind).as(path.getKey()).isEqualTo(PublicRoutes.Kind.TOKEN);
        }
      }
    }
    assertThat(publicOperations).isGreaterThan(5);
  }

  @Test
  void aWebhookIsPlacedByTheTenantInItsPath() {
    assertThat(PublicRoutes.pathTenant("/v1/webhooks/twilio/00000000-0000-7000-8000-000000000001/status"))
        .isEqualTo("00000000-0000-7000-8000-000000000001");
  }

  @Test
  void metricsAreNotForwardedSinceNodesTrustTheirLoopbackCallers() {
    assertThat(PublicRoutes.of("/metrics")).isEqualTo(PublicRoutes.Kind.BLOCKED);
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }
}
