package io.caduceus.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseEndpointTest {

  @Test
  void parsesAPostgresUrlWithAnEncodedPassword() {
    DatabaseEndpoint e = DatabaseEndpoint.parse("postgresql://app:p%40ss@db.internal:6432/caduceus_us");
    assertThat(e).isEqualTo(new DatabaseEndpoint("db.internal", 6432, "caduceus_us", "app", "p@ss"));
    assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/caduceus_us");
  }

  @Test
  void neverPrintsThePassword() {
    assertThat(DatabaseEndpoint.parse("postgresql://app:secret@h/db").toString()).doesNotContain("secret");
  }

  @Test
  void rejectsOtherSchemes() {
    assertThatThrownBy(() -> DatabaseEndpoint.parse("mysql://u@h/db")).isInstanceOf(IllegalArgumentException.class);
  }
}
