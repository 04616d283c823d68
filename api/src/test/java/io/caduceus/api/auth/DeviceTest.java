package io.caduceus.api.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The device a session records is a User-Agent PostgreSQL can store and a list can show. */
class DeviceTest {

  @Test
  void controlCharactersAndLoneSurrogatesAreDroppedAndTheNameIsCut() {
    assertThat(Device.of("CaduceusApp/3.1\u0000 (iPhone)\r\n")).isEqualTo("CaduceusApp/3.1 (iPhone)");
    assertThat(Device.of("App \uD800/1")).isEqualTo("App /1");
    assertThat(Device.of("x".repeat(500))).hasSize(Device.MAX_LENGTH);
    assertThat(Device.of("Ünïcødé 📱")).isEqualTo("Ünïcødé 📱");
  }

  @Test
  void noUserAgentOrABlankOneRecordsNoDevice() {
    assertThat(Device.of((String) null)).isNull();
    assertThat(Device.of(" \t\u0001 ")).isNull();
  }
}
