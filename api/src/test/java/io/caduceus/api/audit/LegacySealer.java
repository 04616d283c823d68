package io.caduceus.api.audit;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.TenantId;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The sealer as it was until issue 10, statement for statement: it read the next events with
 * {@code txid::text AS txid ... ORDER BY txid}, so they sorted as text. Tests use it to break a chain exactly as
 * production did, then verify and repair it.
 */
final class LegacySealer {

  private static final String HEAD = "SELECT seq, last_txid::text AS last_txid, last_event_id, seal_hash"
      + " FROM audit_seal WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1";
  private static final String NEXT_EVENTS = "SELECT id, txid::text AS txid, occurred_at, actor_user_id, actor_roles,"
      + " action, resource_type, resource_id, patient_ids, outcome, request_id, client_address, partner_tenant_id,"
      + " tenant_id FROM audit_event WHERE tenant_id = ? AND txid < pg_snapshot_xmin(pg_current_snapshot())"
      + " AND (?::text IS NULL OR (txid, id) > (?::text::xid8, ?::uuid)) ORDER BY txid, id LIMIT ?";
  private static final String INSERT_SEAL = "INSERT INTO audit_seal (tenant_id, seq, last_txid, last_event_id,"
      + " event_ids, event_hashes, prev_hash, seal_hash) VALUES (?, ?, ?::text::xid8, ?, ?, ?, ?, ?)";

  private final DatabaseEndpoint app;

  LegacySealer(DatabaseEndpoint app) {
    this.app = app;
  }

  /** Seals the tenant's pending events as the old sealer did, batch after batch; how many it sealed. */
  int seal(TenantId tenant, int batchSize) {
    int total = 0;
    int sealed;
    do {
      sealed = sealBatch(tenant, batchSize);
      total += sealed;
    } while (sealed == batchSize);
    return total;
  }

  private int sealBatch(TenantId tenant, int batchSize) {
    try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password())) {
      c.setAutoCommit(false);
      try (PreparedStatement scope = c.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
        scope.setString(1, tenant.toString());
        scope.execute();
      }
      long seq = 1;
      String lastTxid = null;
      UUID lastEvent = null;
      byte[] link = AuditChain.GENESIS;
      try (PreparedStatement head = c.prepareStatement(HEAD)) {
        head.setObject(1, tenant.value());
        try (ResultSet rs = head.executeQuery()) {
          if (rs.next()) {
            seq = rs.getLong("seq") + 1;
            lastTxid = rs.getString("last_txid");
            lastEvent = (UUID) rs.getObject("last_event_id");
            link = rs.getBytes("seal_hash");
          }
        }
      }
      byte[] prev = link;
      List<UUID> ids = new ArrayList<>();
      List<byte[]> hashes = new ArrayList<>();
      String sealedTxid = null;
      try (PreparedStatement next = c.prepareStatement(NEXT_EVENTS)) {
        next.setObject(1, tenant.value());
        next.setString(2, lastTxid);
        next.setString(3, lastTxid);
        next.setObject(4, lastEvent);
        next.setInt(5, batchSize);
        try (ResultSet rs = next.executeQuery()) {
          while (rs.next()) {
            AuditRecord record = record(rs);
            link = AuditChain.link(link, record);
            ids.add(record.id());
            hashes.add(link);
            sealedTxid = rs.getString("txid");
          }
        }
      }
      if (!ids.isEmpty()) {
        try (PreparedStatement insert = c.prepareStatement(INSERT_SEAL)) {
          insert.setObject(1, tenant.value());
          insert.setLong(2, seq);
          insert.setString(3, sealedTxid);
          insert.setObject(4, ids.get(ids.size() - 1));
          insert.setArray(5, c.createArrayOf("uuid", ids.toArray()));
          insert.setArray(6, c.createArrayOf("bytea", hashes.toArray(new byte[0][])));
          insert.setBytes(7, prev);
          insert.setBytes(8, link);
          insert.execute();
        }
      }
      c.commit();
      return ids.size();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AuditRecord record(ResultSet rs) throws SQLException {
    return new AuditRecord((UUID) rs.getObject("tenant_id"), (UUID) rs.getObject("id"),
        Long.parseLong(rs.getString("txid")), rs.getTimestamp("occurred_at").toInstant(),
        (UUID) rs.getObject("actor_user_id"), Arrays.asList(strings(rs.getArray("actor_roles"))),
        rs.getString("action"), rs.getString("resource_type"), (UUID) rs.getObject("resource_id"),
        Arrays.asList(uuids(rs.getArray("patient_ids"))), rs.getString("outcome"), rs.getString("request_id"),
        rs.getString("client_address"), (UUID) rs.getObject("partner_tenant_id"), null);
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }

  private static UUID[] uuids(Array array) throws SQLException {
    return (UUID[]) array.getArray();
  }
}
