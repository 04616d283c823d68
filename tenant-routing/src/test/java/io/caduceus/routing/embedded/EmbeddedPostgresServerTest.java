package io.caduceus.routing.embedded;

import io.caduceus.routing.DatabaseEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded server a node starts by default keeps what it acknowledged: its WAL reaches the disk at every commit.
 * zonky's own default is fsync off, which the persistent server overrides; an ephemeral one (the tests', deleted
 * when it stops) keeps it off.
 */
class EmbeddedPostgresServerTest {

  @Test
  void aPersistentServerFlushesEveryCommitToDisk(@TempDir Path dir) throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0, false)) {
      assertThat(setting(server.superuser(), "fsync")).isEqualTo("on");
      assertThat(setting(server.superuser(), "synchronous_commit")).isEqualTo("on");
    }
  }

  @Test
  void anEphemeralServerDoesNotFsync(@TempDir Path dir) throws SQLException {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0, true)) {
      assertThat(setting(server.superuser(), "fsync")).isEqualTo("off");
      assertThat(setting(server.superuser(), "synchronous_commit")).isEqualTo("on");
    }
  }

  private static String setting(DatabaseEndpoint endpoint, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
