package io.caduceus.api.sql;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Plans;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listing's keyset cursor bounds its index walk in the generic plan too, as the app role under row-level security:
 * the statements are prepared once and PostgreSQL may keep the generic plan after five executions, where a
 * "{@code $n IS NULL OR}" keyset is only a filter and every page walks the tenant's rows from the first. Each case is
 * the repository's own statement (read from its private constant), planned with {@code force_generic_plan}.
 */
class KeysetPlanTest {

  private final DatabaseEndpoint app = TestInfrastructure.get().asApp(TestPlatform.get().owner("us"));

  @Test
  void anAscendingTimestampKeysetIsAnIndexCondition() {
    String sql = statement("io.caduceus.api.appointment.AppointmentSql", "LIST");
    List<JsonObject> plan = genericPlan(sql, "null, null, null, null, null, null, null, 50");
    assertIndexBound(plan, "ROW(starts_at, id) >");
    assertIndexBound(plan, "starts_at >=");
    assertIndexBound(plan, "starts_at <");
  }

  /**
   * The front desk's day at one site, and one room's day, walk their own index (appointment_by_facility,
   * appointment_by_room, V33) from the cursor in start order: the facility or room and the keyset bound the walk.
   */
  @Test
  void theListingsByFacilityAndByRoomWalkTheirIndexFromTheCursor() {
    String args = "null, null, null, null, null, null, null, 50, '" + UUID.randomUUID() + "', '" + UUID.randomUUID()
        + "'";
    List<JsonObject> atFacility = genericPlan(statement("io.caduceus.api.appointment.AppointmentSql",
        "LIST_AT_FACILITY"), args);
    assertNoSort(atFacility);
    assertIndexBound(atFacility, "facility_id =");
    assertIndexBound(atFacility, "ROW(starts_at, id) >");
    List<JsonObject> inRoom = genericPlan(statement("io.caduceus.api.appointment.AppointmentSql", "LIST_IN_ROOM"),
        args);
    assertNoSort(inRoom);
    assertIndexBound(inRoom, "room_id =");
    assertIndexBound(inRoom, "ROW(starts_at, id) >");
  }

  /** A FHIR appointment search by one location (a facility) walks appointment_by_facility (V33) in start order. */
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aFhirAppointmentSearchByOneLocationWalksTheFacilityIndex() throws ReflectiveOperationException {
    Class<?> sql = Class.forName("io.caduceus.api.appointment.AppointmentSql");
    Class filter = Class.forName("io.caduceus.api.appointment.AppointmentSql$SearchFilter");
    Method search = sql.getDeclaredMethod("search", Set.class, boolean.class);
    search.setAccessible(true);
    String statement = (String) search.invoke(null, Set.of(Enum.valueOf(filter, "FACILITY")), false);
    List<JsonObject> plan = genericPlan(statement, "'" + UUID.randomUUID() + "'::uuid, 50");
    assertIndexBound(plan, "facility_id =");
  }

  /**
   * A dispatcher cycle of a tenant that holds topics (a module off, issue 16) claims each topic it does not hold from
   * message_due_by_topic (V10), the topic bounding the walk: the held backlog is never read, so an idle cycle costs
   * the same at 50,000 held messages as at none (bench/scan.sh, held mode). The old claim walked message_due and
   * filtered the held topics out, row by row.
   */
  @Test
  void aClaimAroundHeldTopicsWalksEachOpenTopicsOwnIndexRange() {
    String sql = statement("io.caduceus.notifications.engage.MessageSql", "CLAIM_DUE_AROUND_HOLDS");
    List<JsonObject> plan = genericPlan(sql, "now(), 50, ARRAY['appointment.booked', 'campaign']");
    assertIndexBound(plan, "topic =");
    assertIndexBound(plan, "next_attempt_at <=");
    assertThat(plan).as("scans of message").filteredOn(n -> "message".equals(n.getString("Relation Name")))
        .isNotEmpty().allMatch(n -> "message_due_by_topic".equals(n.getString("Index Name")));
  }

  @Test
  void aDescendingTimestampKeysetIsAnIndexCondition() {
    String sql = firstShape("io.caduceus.api.encounter.EncounterSql", "LIST");
    assertIndexBound(genericPlan(sql, "null, null, 50"), "ROW(opened_at, id) <");
  }

  @Test
  void theMessageListKeysetIsAnIndexCondition() {
    String sql = statement("io.caduceus.notifications.engage.Messages", "LIST");
    assertIndexBound(genericPlan(sql, "null, null, null, null, null, null, null, 50"), "ROW(created_at, id) <");
  }

  @Test
  void theTelehealthChatKeysetIsAnIndexCondition() {
    String sql = statement("io.caduceus.api.telehealth.chat.ChatSql", "PAGE");
    assertIndexBound(genericPlan(sql, "null, null, null, 50"), "ROW(created_at, id) >");
  }

  @Test
  void theBreakGlassReportsKeysetAndRangeAreIndexConditions() {
    String sql = statement("io.caduceus.api.emergency.EmergencyAccessSql", "USES");
    List<JsonObject> plan = genericPlan(sql, "null, null, null, null, null, 50");
    assertIndexBound(plan, "ROW(granted_at, id) <");
    assertIndexBound(plan, "granted_at >=");
  }

  @Test
  void aTextKeysetIsAnIndexCondition() {
    String sql = statement("io.caduceus.api.billing.BillingSql", "FEE_LIST");
    assertIndexBound(genericPlan(sql, "null, 50"), "cpt_code >");
  }

  @Test
  void anUnfilteredFirstPageWalksAnIndexInTheListingsOrder() {
    assertNoSort(genericPlan(firstShape("io.caduceus.api.encounter.EncounterSql", "LIST"), "null, null, 50"));
    for (String charges : List.of("CHARGE_LIST", "COVERAGE_LIST")) {
      List<JsonObject> plan = genericPlan(firstShape("io.caduceus.api.billing.BillingSql", charges), "null, null, 50");
      assertNoSort(plan);
      assertIndexBound(plan, "ROW(created_at, id) >");
    }
    DatabaseEndpoint global = TestInfrastructure.get().asApp(TestPlatform.get().owner("global"));
    List<JsonObject> members = genericPlan(global, statement("io.caduceus.api.auth.UserSql", "MEMBERS"),
        "'" + UUID.randomUUID() + "', null, null, 50");
    assertNoSort(members);
    assertIndexBound(members, "ROW(created_at, user_id) >");
  }

  /**
   * Each shape of an exchanged-copy listing's filters (direction, status, patient) is its own statement, and the
   * shapes an index serves walk it from the cursor in the listing's order: the whole tenant with no filter, a
   * direction and its status, a patient's copies. (Which index a shape walks follows the table's statistics, which
   * a test database's nearly empty tables do not have: on 100,000 orders of one tenant, a patient's first page
   * walked lab_order_by_created and filtered 50,929 rows in 22 ms as one statement, and read 51 rows of
   * lab_order_by_patient in 0.15 ms as its own shape.)
   */
  @Test
  void eachFilterShapeOfAListingHasItsOwnPlan() {
    for (String listing : List.of("io.caduceus.api.lab.LabOrderSql", "io.caduceus.api.prescription.PrescriptionSql",
        "io.caduceus.api.billing.ClaimSql")) {
      List<String> shapes = ((Listing) constant(listing, "LIST")).statements();
      assertThat(shapes).hasSize(8).noneMatch(sql -> sql.contains("IS NULL OR"));
      for (int shape : new int[] {0b000, 0b001, 0b011, 0b100}) {
        int filters = Integer.bitCount(shape);
        List<JsonObject> plan = genericPlan(shapes.get(shape), "null, ".repeat(filters + 2) + "50");
        assertNoSort(plan);
        assertIndexBound(plan, "ROW(created_at, id) >");
      }
    }
  }

  /**
   * The FHIR facade's listing of a tenant's imported records of one type (a search without patient) walks
   * ehr_import_record_by_type (V29) from its cursor, newest first and oldest first.
   */
  @Test
  void importedRecordsOfATypeWalkTheirIndexFromTheCursor() {
    for (String order : List.of("NEWEST_FIRST", "OLDEST_FIRST")) {
      String typeOnly = ((Listing) constant("io.caduceus.api.connector.ImportedResourceSql", order)).statements()
          .get(0b1);
      List<JsonObject> plan = genericPlan(typeOnly, "'Condition', null, null, 50");
      assertNoSort(plan);
      assertIndexBound(plan, "imported_at");
    }
  }

  /** The plan reads rows in the listing's order from an index, so it can stop at the page's end. */
  private static void assertNoSort(List<JsonObject> nodes) {
    assertThat(nodes).as("nodes of the generic plan").noneMatch(n -> n.getString("Node Type").contains("Sort"));
  }

  /** The bound appears in an index condition and in no filter. */
  private static void assertIndexBound(List<JsonObject> nodes, String bound) {
    List<String> indexConds = conditions(nodes, "Index Cond");
    List<String> filters = conditions(nodes, "Filter");
    assertThat(indexConds).as("index conditions of the generic plan").anyMatch(c -> c.contains(bound));
    assertThat(filters).as("filters of the generic plan").noneMatch(c -> c.contains(bound));
  }

  /**
   * Every node of the generic plan of {@code sql} run with {@code args}, as the app role in a tenant. The tables of
   * the test database are nearly empty, so sequential scans are ruled out: the question is whether the keyset can
   * bound an index walk at all, which a leaky or "{@code IS NULL OR}" condition cannot, whatever the costs.
   */
  private List<JsonObject> genericPlan(String sql, String args) {
    return genericPlan(app, sql, args);
  }

  private static List<JsonObject> genericPlan(DatabaseEndpoint database, String sql, String args) {
    return Plans.generic(database, UUID.randomUUID(), sql, args, "FORMAT JSON", "SET LOCAL enable_seqscan = off");
  }

  private static List<String> conditions(List<JsonObject> nodes, String key) {
    return nodes.stream().filter(n -> n.containsKey(key)).map(n -> n.getString(key)).toList();
  }

  /** A repository's statement constant; they are private to their packages, so it is read reflectively. */
  private static String statement(String className, String field) {
    return (String) constant(className, field);
  }

  /** The statement of a {@link Listing} given no filter. */
  private static String firstShape(String className, String field) {
    return ((Listing) constant(className, field)).statements().get(0);
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
