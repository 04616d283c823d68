package io.caduceus.api.exchange;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * Cross-tenant delivery's rows: the receiver's record of the messages it applied, and the patients exchanged items
 * identify. It runs on the connection {@code TenantDb} opened for the sender or the receiver.
 */
final class ExchangeRepository {

  /** What identifies a patient across tenants: name, birth date, sex, and contact (null when not shared). */
  record Demographics(String familyName, String givenName, LocalDate birthDate, String sex, JsonObject contact) {
  }

  /** Announces, once the transaction commits, that an exchange message is waiting. */
  Future<Void> announce(SqlConnection conn) {
    return conn.query(ExchangeSql.NOTIFY).execute().mapEmpty();
  }

  /** Records the receiver's taking of a message; false if it took it before. */
  Future<Boolean> remember(SqlConnection conn, TenantId receiver, UUID messageId, TenantId source, String topic) {
    return conn.preparedQuery(ExchangeSql.REMEMBER)
        .execute(Tuple.of(receiver.value(), messageId, source.value(), topic))
        .map(rows -> rows.rowCount() > 0);
  }

  /** A live patient's demographics; empty if there is no such patient. */
  Future<Optional<Demographics>> patient(SqlConnection conn, UUID patientId) {
    return conn.preparedQuery(ExchangeSql.PATIENT).execute(Tuple.of(patientId))
        .map(rows -> Rows.optional(rows, row -> new Demographics(row.getString("family_name"),
            row.getString("given_name"), row.getLocalDate("birth_date"), row.getString("sex"),
            row.getJsonObject("contact"))));
  }

  /** The receiver's record of the source tenant's patient; empty on first sight. */
  Future<Optional<UUID>> bySource(SqlConnection conn, TenantId receiver, TenantId source, UUID sourceId) {
    return conn.preparedQuery(ExchangeSql.BY_SOURCE).execute(Tuple.of(receiver.value(), source.value(), sourceId))
        .map(rows -> Rows.optional(rows, row -> row.getUUID("id")));
  }

  /** Creates the receiver's record {@code id} of the source tenant's patient. */
  Future<Void> create(SqlConnection conn, TenantContext receiver, UUID id, TenantId source, UUID sourceId,
                      Demographics d) {
    return conn.preparedQuery(ExchangeSql.CREATE).execute(Tuple.from(new Object[] {receiver.tenantId().value(), id,
        "EXT-" + id, d.familyName(), d.givenName(), d.birthDate(), d.sex(), d.contact(), receiver.userId(),
        source.value(), sourceId})).mapEmpty();
  }

  /** Brings the receiver's record up to date with the source (a contact not shared keeps the one it has). */
  Future<Void> refresh(SqlConnection conn, TenantContext receiver, UUID id, Demographics d) {
    return conn.preparedQuery(ExchangeSql.REFRESH).execute(Tuple.from(new Object[] {id, d.familyName(),
        d.givenName(), d.birthDate(), d.sex(), d.contact(), receiver.userId()})).mapEmpty();
  }
}
