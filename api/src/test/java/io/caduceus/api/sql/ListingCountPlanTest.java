package io.caduceus.api.sql;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Plans;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listing's count ({@code _summary=count}) is its page's statement without keyset, order and limit: each shape of
 * the filters its own statement, the filter an index condition in the generic plan (as the app role under row-level
 * security), and the listing's selected columns, such as a claim's payments, never computed.
 */
class ListingCountPlanTest {

  private static final Set<String> SCOPE_INPUTS = Set.of("patient_facility", "care_team_patient", "emergency_access");

  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  @Test
  void aPatientsCountWalksThePatientIndexAndComputesNoColumn() {
    for (String listing : List.of("io.caduceus.api.billing.ClaimSql", "io.caduceus.api.prescription.PrescriptionSql",
        "io.caduceus.api.lab.LabOrderSql")) {
      List<String> counts = ((Listing) constant(listing, "SEARCH")).counts();
      assertThat(counts).allMatch(sql -> sql.startsWith("SELECT count(*)")).noneMatch(sql -> sql.contains("LIMIT"))
          .noneMatch(sql -> sql.contains("IS NULL OR"));
      List<JsonObject> plan = genericPlan(counts.get(0b1), "'{" + UUID.randomUUID() + "}'");
      assertThat(conditions(plan, "Index Cond")).as(listing).anyMatch(c -> c.contains("patient_id = ANY"));
      // The scoped access policy's probes (issue 15) are sub-plans of row-level security, not the listing's columns:
      // the facility probe's OFFSET 0 (region V40) puts a node of its own above its scan.
      assertThat(plan).as(listing).noneMatch(n -> n.getString("Node Type").contains("Sort"))
          .noneMatch(n -> "SubPlan".equals(n.getString("Parent Relationship"))
              && !SCOPE_INPUTS.contains(relationOf(n)));
    }
  }

  private List<JsonObject> genericPlan(String sql, String args) {
    return Plans.generic(app, UUID.randomUUID(), sql, args, "FORMAT JSON", "SET LOCAL enable_seqscan = off");
  }

  /** The first relation a node or its sub-plans read, depth first, or "" for none. */
  private static String relationOf(JsonObject node) {
    if (node.containsKey("Relation Name")) {
      return node.getString("Relation Name");
    }
    return node.getJsonArray("Plans", new JsonArray()).stream().map(child -> relationOf((JsonObject) child))
        .filter(name -> !name.isEmpty()).findFirst().orElse("");
  }

  private static List<String> conditions(List<JsonObject> nodes, String key) {
    return nodes.stream().filter(n -> n.containsKey(key)).map(n -> n.getString(key)).toList();
  }

  private static Object constant(String className, String field) {
    try {
      Field f = Class.forName(className).getDeclaredField(field);
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
