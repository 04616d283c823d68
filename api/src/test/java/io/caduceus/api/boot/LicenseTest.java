package io.caduceus.api.boot;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository carries the licence its contract states. */
class LicenseTest {

  @Test
  void theLicenseFileIsTheLicenceTheContractStates() throws IOException {
    Map<String, Object> contract = new Yaml().load(Files.readString(Path.of("..", "openapi.yaml")));
    JsonObject license = new JsonObject(contract).getJsonObject("info").getJsonObject("license");
    assertThat(license.getString("identifier")).isEqualTo("Apache-2.0");

    String text = Files.readString(Path.of("..", "LICENSE"));
    assertThat(text).contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
  }
}
