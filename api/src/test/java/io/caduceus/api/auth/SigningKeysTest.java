package io.caduceus.api.auth;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The signing keys a start loads: made once, by whichever of concurrent first starts wins, then read. */
class SigningKeysTest {

  private Vertx vertx;
  private ControlPlane controlPlane;
  private final MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());

  @BeforeEach
  void open() {
    DatabaseEndpoint owner = TestInfrastructure.get().freshDatabases(List.of("global"),
        List.of(MigrationSet.CONTROL_PLANE)).get("global");
    vertx = Vertx.vertx();
    controlPlane = ControlPlane.open(vertx, TestInfrastructure.get().asApp(owner), 4, 1);
  }

  @AfterEach
  void close() {
    await(controlPlane.close());
    await(vertx.close());
  }

  @Test
  void concurrentFirstStartsAgreeOnOneKeyWhichRestartsRead() {
    List<SigningKeys> first = await(Future.all(List.of(load(), load(), load()))).list();
    String kid = kids(first.get(0).jwks());
    assertThat(first).allSatisfy(keys -> assertThat(kids(keys.jwks())).isEqualTo(kid));
    assertThat(kid).doesNotContain(",");
    assertThat(kids(await(load()).jwks())).as("a restart reads the stored key").isEqualTo(kid);
  }

  private Future<SigningKeys> load() {
    return SigningKeys.load(vertx, controlPlane, master, "https://caduceus.test");
  }

  private static String kids(JsonObject jwks) {
    return String.join(",", jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")).toList());
  }
}
