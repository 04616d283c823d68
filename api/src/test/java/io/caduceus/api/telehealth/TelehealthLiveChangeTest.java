package io.caduceus.api.telehealth;

import io.caduceus.api.live.LiveChange;
import io.caduceus.api.live.LiveChanges;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.DatabaseEndpoint;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.caduceus.api.telehealth.VirtualVisits.from;
import static io.caduceus.api.telehealth.VirtualVisits.session;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Every change of a session is announced on the region's live channel, with ids only, once it has committed. */
class TelehealthLiveChangeTest extends ClinicFixture {

  @Test
  void eachTransitionIsAnnouncedOnceAndARefusedOneIsNot() throws Exception {
    VirtualVisits visits = new VirtualVisits(clinic);
    visits.turnOn();
    String patientId = clinic.patient("Live", "Lia").getString("id");
    String patient = platform.token(visits.patientAccount(patientId));
    DatabaseEndpoint us = platform.superuser("us");
    try (Connection listener = DriverManager.getConnection(us.jdbcUrl(), us.user(), us.password())) {
      try (Statement st = listener.createStatement()) {
        st.execute("LISTEN " + LiveChanges.CHANNEL);
      }
      JsonObject booked = expect(visits.book(patientId, Instant.now().plus(5, ChronoUnit.MINUTES), 30), 201).json();
      String s = session(booked);
      expect(api.post(s + "/check-in", patient, from("home")), 200);
      expect(api.post(s + "/check-in", patient, from("home")), 200);
      expect(api.post(s + "/end", clinic.token(clinic.doctor), null), 409);
      expect(api.post(s + "/admit", clinic.token(clinic.doctor), null), 200);

      UUID sessionId = UUID.fromString(booked.getString("sessionId"));
      List<LiveChange> mine = new ArrayList<>();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (mine.size() < 3 && System.nanoTime() < deadline) {
        PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(1000);
        for (PGNotification n : received == null ? new PGNotification[0] : received) {
          LiveChange change = LiveChange.decode(n.getParameter());
          if (change.sessionId().equals(sessionId)) {
            mine.add(change);
          }
        }
      }
      // Booking, check-in and admission; neither the repeated check-in nor the refused end said anything.
      assertThat(mine).hasSize(3).allSatisfy(c -> {
        assertThat(c.topic()).isEqualTo(LiveChange.SESSION);
        assertThat(c.tenantId()).isEqualTo(clinic.tenant.id().value());
        assertThat(c.practitionerId().toString()).isEqualTo(clinic.practitionerId);
      });
      PGNotification[] more = listener.unwrap(PGConnection.class).getNotifications(500);
      assertThat(more == null ? List.of() : List.of(more).stream()
          .filter(n -> LiveChange.decode(n.getParameter()).sessionId().equals(sessionId)).toList()).isEmpty();
    }
  }
}
