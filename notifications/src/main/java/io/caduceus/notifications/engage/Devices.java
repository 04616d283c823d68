package io.caduceus.notifications.engage;

import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's registered patient devices. A token is registered to one patient: registering it again for the same
 * patient is idempotent; for another patient it changes nothing (their device is left alone).
 */
public final class Devices {

  private static final String REGISTER = """
      INSERT INTO device (tenant_id, id, patient_id, token, platform)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4)
      ON CONFLICT (tenant_id, token) DO UPDATE SET platform = $4
      WHERE device.patient_id = $2
      RETURNING id, patient_id, token, platform, created_at""";
  private static final String LIST = """
      SELECT id, patient_id, token, platform, created_at
      FROM device
      WHERE patient_id = $1
      ORDER BY created_at DESC""";
  private static final String REMOVE = "DELETE FROM device WHERE id = $1 AND patient_id = $2";

  /**
   * Registers {@code token} for {@code patient}; returns the device, or nothing if the token is registered to
   * another patient. The update's condition is evaluated before row-level security checks the existing row, so
   * another patient's device is neither changed nor refused with an error.
   */
  public Future<Optional<Device>> register(SqlConnection conn, UUID patient, String token, String platform) {
    return conn.preparedQuery(REGISTER).execute(Tuple.of(UuidV7.next(), patient, token, platform))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Device.fromRow(rows.iterator().next())));
  }

  /** The patient's devices, newest first. */
  public Future<List<Device>> list(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(LIST).execute(Tuple.of(patient)).map(rows -> {
      List<Device> devices = new ArrayList<>();
      rows.forEach(row -> devices.add(Device.fromRow(row)));
      return devices;
    });
  }

  /** Unregisters one of the patient's devices; false if the patient has no such device. */
  public Future<Boolean> remove(SqlConnection conn, UUID patient, UUID device) {
    return conn.preparedQuery(REMOVE).execute(Tuple.of(device, patient)).map(rows -> rows.rowCount() > 0);
  }
}
