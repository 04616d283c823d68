package io.caduceus.api.boot;

import io.caduceus.routing.DatabaseEndpoint;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void withNothingConfiguredItRunsEmbeddedWithUsAndEu() {
    AppConfig config = ConfigLoader.resolve(new JsonObject(), Map.of());
    assertThat(config.database().embedded()).isTrue();
    assertThat(config.database().regionNames()).containsOnlyKeys("us", "eu");
    assertThat(config.redisUrl()).isNull();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.seedDemo()).isTrue();
  }

  @Test
  void environmentVariablesConfigureExternalDatabasesAndWinOverTheFile() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 9000))
        .put("database", new JsonObject().put("regions", new JsonObject().put("ap", new JsonObject()
            .put("url", "postgresql://app:file@ap-db/caduceus_ap").put("ownerUrl", "postgresql://owner:o@ap-db/caduceus_ap")
            .put("displayName", "Asia Pacific"))));
    Map<String, String> env = Map.of(
        "CADUCEUS_HTTP_PORT", "9100",
        "CADUCEUS_GLOBAL_DB_URL", "postgresql://app:secret@cp-db:5432/caduceus_global",
        "CADUCEUS_GLOBAL_DB_OWNER_URL", "postgresql://owner:secret@cp-db:5432/caduceus_global",
        "CADUCEUS_REGION_AP_DB_URL", "postgresql://app:env@ap-db:6432/caduceus_ap",
        "CADUCEUS_REDIS_URL", "redis://cache:6379",
        "CADUCEUS_DEMO_SEED", "false");
    AppConfig config = ConfigLoader.resolve(file, env);
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.database().embedded()).isFalse();
    assertThat(config.database().regionNames()).containsEntry("ap", "Asia Pacific");
    assertThat(config.database().regionApp().get("ap")).isEqualTo(DatabaseEndpoint.parse(
        "postgresql://app:env@ap-db:6432/caduceus_ap"));
    assertThat(config.database().globalOwner().user()).isEqualTo("owner");
    assertThat(config.redisUrl()).isEqualTo("redis://cache:6379");
    assertThat(config.seedDemo()).isFalse();
  }

  @Test
  void browserOriginsComeFromTheEnvironmentOrTheFileNormalisedAndNeverAWildcard() {
    AppConfig fromEnv = ConfigLoader.resolve(new JsonObject(), Map.of("CADUCEUS_CORS_ORIGINS",
        " https://App.Example.com/ , http://localhost:3000,https://admin.example.com:443", "CADUCEUS_CORS_CREDENTIALS",
        "true"));
    assertThat(fromEnv.http().cors().origins()).containsExactlyInAnyOrder("https://app.example.com",
        "http://localhost:3000", "https://admin.example.com");
    assertThat(fromEnv.http().cors().allowCredentials()).isTrue();
    AppConfig fromFile = ConfigLoader.resolve(new JsonObject().put("http", new JsonObject().put("cors",
        new JsonObject().put("origins", new io.vertx.core.json.JsonArray().add("https://portal.example.org")))), Map.of());
    assertThat(fromFile.http().cors().origins()).containsExactly("https://portal.example.org");
    assertThat(fromFile.http().cors().allowCredentials()).isFalse();
    assertThat(ConfigLoader.resolve(new JsonObject(), Map.of()).http().cors().origins()).isEmpty();
    for (String bad : new String[] {"*", "null", "https://app.example.com/path", "ftp://files.example.com",
        "app.example.com", "https://*.example.com"}) {
      assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject(), Map.of("CADUCEUS_CORS_ORIGINS", bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CORS origin");
    }
  }

  @Test
  void onlyTheEmbeddedDemoServesMetricsToLoopbackWithoutAToken() {
    assertThat(ConfigLoader.resolve(new JsonObject(), Map.of()).metrics().loopbackWithoutToken()).isTrue();
    AppConfig external = ConfigLoader.resolve(new JsonObject(), external());
    assertThat(external.metrics().loopbackWithoutToken()).isFalse();
    assertThat(external.metrics().token()).isNull();
    Map<String, String> withToken = new HashMap<>(external());
    withToken.put("CADUCEUS_METRICS_TOKEN", "scrape-me");
    assertThat(ConfigLoader.resolve(new JsonObject(), withToken).metrics().token()).isEqualTo("scrape-me");
  }

  @Test
  void aPublicUrlMustBeAnAbsoluteHttpUrlAndTrustedProxiesAreAList() {
    AppConfig config = ConfigLoader.resolve(new JsonObject(), Map.of("CADUCEUS_PUBLIC_URL", "https://api.example.com/",
        "CADUCEUS_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6"));
    assertThat(config.http().publicUrl()).isEqualTo("https://api.example.com/");
    assertThat(config.http().trustedProxies()).containsExactly("10.0.0.5", "10.0.0.6");
    assertThat(ConfigLoader.resolve(new JsonObject(), Map.of()).http().trustedProxies()).isEmpty();
    for (String bad : new String[] {"api.example.com", "ftp://api.example.com", "https://api.example.com/?x=1"}) {
      assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject(), Map.of("CADUCEUS_PUBLIC_URL", bad)))
          .as(bad).hasMessageContaining("CADUCEUS_PUBLIC_URL");
    }
  }

  @Test
  void theDemoIsSeededByDefaultOnlyIntoTheEmbeddedSetup() {
    assertThat(ConfigLoader.resolve(new JsonObject(), Map.of()).seedDemo()).isTrue();
    assertThat(ConfigLoader.resolve(new JsonObject(), external()).seedDemo()).isFalse();
  }

  @Test
  void aRegionWithoutADatabaseIsAStartUpError() {
    Map<String, String> env = new HashMap<>(external());
    env.put("CADUCEUS_REGIONS", "us,eu");
    assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject(), env))
        .hasMessageContaining("region eu has no database URL");
  }

  @Test
  void theAppRoleMustBeADifferentRoleFromTheOwner() {
    Map<String, String> env = new HashMap<>(external());
    env.put("CADUCEUS_REGION_US_DB_OWNER_URL", "postgresql://app@us/u");
    assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject(), env)).hasMessageContaining("two roles");
    env.remove("CADUCEUS_REGION_US_DB_OWNER_URL");
    assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject(), env)).hasMessageContaining("needs an owner URL");
  }

  private static Map<String, String> external() {
    return Map.of("CADUCEUS_GLOBAL_DB_URL", "postgresql://app@cp/g", "CADUCEUS_GLOBAL_DB_OWNER_URL",
        "postgresql://owner@cp/g", "CADUCEUS_REGIONS", "us", "CADUCEUS_REGION_US_DB_URL", "postgresql://app@us/u",
        "CADUCEUS_REGION_US_DB_OWNER_URL", "postgresql://owner@us/u");
  }
}
