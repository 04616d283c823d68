package io.caduceus.api.audit;

import io.caduceus.api.testing.Sql;
import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's statements are prepared once, so PostgreSQL may run them with a generic plan, one that does not know
 * whether the position parameters are null. Under row-level security only a leakproof condition may bound an index
 * scan. Before, the position was a mere filter there: every sealer batch walked the tenant's chain from its first
 * event, and a node's read throughput fell as the audit table grew. These plans are taken as the app role, with the
 * generic plan forced, and must bound the index scan by the position.
 */
class AuditPlanTest {

  private static ChainCluster cluster;
  private static final TenantId TENANT = new TenantId(UUID.randomUUID());

  @BeforeAll
  static void aTenantWithEvents() {
    cluster = ChainCluster.shared();
    try (ChainCluster.Writer w = cluster.writer(TENANT)) {
      w.insert(50);
      w.commit();
    }
  }

  @Test
  void theSealersNextBatchStartsAtItsPositionInTheIndex() {
    List<String> plan = genericPlan(AuditSql.NEXT_EVENTS, "NULL, NULL, 100, '" + TENANT + "'");

    assertThat(plan).anyMatch(line -> line.contains("Index Cond") && line.contains("ROW(txid, id) >"));
    assertThat(plan).noneMatch(line -> line.contains("Filter") && line.contains("ROW("));
  }

  @Test
  void aVerificationRangeStartsAtItsPositionInTheIndex() {
    List<String> plan = genericPlan(AuditSql.SEALED_RANGE, "NULL, NULL, 1000, '" + UUID.randomUUID() + "', '"
        + TENANT + "'");

    assertThat(plan).anyMatch(line -> line.contains("Index Cond") && line.contains("ROW(txid, id) >"));
    assertThat(plan).noneMatch(line -> line.contains("Filter") && line.contains("ROW(txid, id) >"));
  }

  @Test
  void anAuditListingPageStartsAtItsCursorInTheIndex() {
    List<String> plan = genericPlan(AuditSql.LIST,
        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, 50, '" + TENANT + "'");

    assertThat(plan).anyMatch(line -> line.contains("Index Cond") && line.contains("ROW(occurred_at, id) <"));
    assertThat(plan).noneMatch(line -> line.contains("Filter") && line.contains("ROW("));
  }

  @Test
  void theSealersQuestionWhichTenantsHaveNewEventsStartsAtEachHeadInTheIndex() {
    // The function's own body, planned as its owner would (sequential scans off: the table is tiny here)
    String body = (String) Sql.query(cluster.superuser(),
        "SELECT prosrc FROM pg_proc WHERE proname = 'audit_unsealed_tenants'").get(0).get("prosrc");
    List<String> plan = new ArrayList<>();
    try (Connection c = Sql.hold(cluster.superuser(), "SET LOCAL enable_seqscan = off");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("EXPLAIN " + body)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
      c.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }

    assertThat(plan).anyMatch(line -> line.contains("Index Cond") && line.contains("ROW(txid, id) >"));
  }

  /** The statement's generic plan, executed with {@code args} as the app role in the tenant's scope. */
  private static List<String> genericPlan(String sql, String args) {
    try (Connection c = Sql.hold(cluster.app(), "SELECT set_config('app.tenant_id', '" + TENANT + "', true)",
        "SET LOCAL plan_cache_mode = force_generic_plan", "PREPARE chain_statement AS " + sql);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("EXPLAIN EXECUTE chain_statement (" + args + ")")) {
      List<String> lines = new ArrayList<>();
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
      c.rollback();
      return lines;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
