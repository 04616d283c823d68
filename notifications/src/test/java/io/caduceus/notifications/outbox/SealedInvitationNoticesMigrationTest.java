package io.caduceus.notifications.outbox;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.schema.Migrations;
import io.caduceus.routing.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V8 on a database that holds patient invitation notices written before tokens were sealed: their clear tokens
 * (and addresses) are removed and the notices closed as dead, every other notice is left as it was, and row-level
 * security is forced on the outbox again afterwards.
 */
class SealedInvitationNoticesMigrationTest {

  private static final String HISTORY = "notifications_history";

  @Test
  void clearInvitationTokensAreRemovedAndTheirNoticesClosed() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    DatabaseEndpoint owner = infra.freshDatabases(List.of("v8"), List.of()).get("v8");
    Migrations.migrate(owner, List.of(new MigrationSet("filesystem:" + upToV7(), HISTORY)), infra.roles());
    DatabaseEndpoint superuser = infra.superuser().onDatabase(owner.database());
    UUID tenant = UUID.randomUUID();
    UUID invitation = UUID.randomUUID();
    UUID booking = UUID.randomUUID();
    insert(superuser, tenant, invitation, "invitation.patient", "{\"invitationId\": \"i-1\", \"email\":"
        + " \"pat@example.test\", \"token\": \"clear-token-that-opens-the-chart\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}");
    insert(superuser, tenant, booking, "appointment.booked", "{\"appointmentId\": \"a-1\"}");

    Migrations.migrate(owner, List.of(new MigrationSet(Outbox.MIGRATIONS, HISTORY)), infra.roles());

    assertThat(text(superuser, "SELECT payload::text || ' ' || status || ' ' || last_error FROM outbox_event"
        + " WHERE id = ?", invitation)).doesNotContain("clear-token").doesNotContain("pat@example.test")
        .contains("\"invitationId\": \"i-1\"").contains(" dead ").contains("invite the patient again");
    assertThat(text(superuser, "SELECT payload::text || ' ' || status FROM outbox_event WHERE id = ?", booking))
        .isEqualTo("{\"appointmentId\": \"a-1\"} pending");
    assertThat(text(superuser, "SELECT relforcerowsecurity::text FROM pg_class WHERE relname = 'outbox_event'"
        + " AND relnamespace = 'public'::regnamespace")).isEqualTo("true");
  }

  /** The notifications migrations before V8, copied to a directory of their own. */
  private static Path upToV7() throws IOException, URISyntaxException {
    Path shipped = Path.of(SealedInvitationNoticesMigrationTest.class.getResource("/db/notifications").toURI());
    Path copy = Files.createTempDirectory("notifications-up-to-v7");
    try (Stream<Path> files = Files.list(shipped)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("V[1-7]__.*\\.sql")).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  private static void insert(DatabaseEndpoint as, UUID tenant, UUID id, String topic, String payload)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
         PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_event (tenant_id, id, topic, ordering_key,"
             + " payload) VALUES (?, ?, ?, 'k', ?::jsonb)")) {
      ps.setObject(1, tenant);
      ps.setObject(2, id);
      ps.setString(3, topic);
      ps.setString(4, payload);
      ps.executeUpdate();
    }
  }

  private static String text(DatabaseEndpoint as, String sql, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
         PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
