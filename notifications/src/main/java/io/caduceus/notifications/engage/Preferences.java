package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Patients' delivery choices, and the SMS stop flag an inbound STOP sets and START clears. */
public final class Preferences {

  private static final String FIND = "SELECT * FROM notification_preference WHERE patient_id = $1";
  private static final String PUT = """
      INSERT INTO notification_preference
        (tenant_id, patient_id, channel_order, opted_out_channels, opted_out_categories, time_zone, locale)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6)
      ON CONFLICT (tenant_id, patient_id) DO UPDATE SET channel_order = $2, opted_out_channels = $3,
        opted_out_categories = $4, time_zone = $5, locale = $6, version = notification_preference.version + 1,
        updated_at = now()
      RETURNING *""";
  private static final String STOP = """
      INSERT INTO notification_preference (tenant_id, patient_id, channel_order, sms_stopped_at)
      SELECT current_setting('app.tenant_id')::uuid, p, $2, $3
      FROM unnest($1::uuid[]) p
      ON CONFLICT (tenant_id, patient_id) DO UPDATE SET sms_stopped_at = $3,
        version = notification_preference.version + 1, updated_at = now()""";

  /** The patient's choices, or the defaults. */
  public Future<Preference> find(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(FIND).execute(Tuple.of(patient)).map(rows -> rows.size() == 0
        ? Preference.defaults(patient) : Preference.fromRow(rows.iterator().next()));
  }

  /** Replaces the patient's choices (the SMS stop flag stays as it is); returns them as stored. */
  public Future<Preference> put(SqlConnection conn, Preference p) {
    return conn.preparedQuery(PUT).execute(Tuple.from(Arrays.asList(p.patientId(), wires(p.channelOrder()),
            p.optedOutChannels().stream().map(Channel::wire).toArray(String[]::new),
            p.optedOutCategories().stream().map(Category::wire).toArray(String[]::new),
            p.zone() == null ? null : p.zone().getId(), p.locale())))
        .map(rows -> Preference.fromRow(rows.iterator().next()));
  }

  /** Sets (STOP, {@code at} non-null) or clears (START, null) the SMS stop of these patients. */
  public Future<Void> smsStop(SqlConnection conn, List<UUID> patients, Instant at) {
    if (patients.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(STOP).execute(Tuple.from(Arrays.asList(patients.toArray(UUID[]::new),
            wires(Preference.DEFAULT_ORDER), at == null ? null : Timestamps.utc(at))))
        .mapEmpty();
  }

  private static String[] wires(List<Channel> channels) {
    return channels.stream().map(Channel::wire).toArray(String[]::new);
  }
}
