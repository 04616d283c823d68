package io.caduceus.api.testing;

import io.caduceus.routing.DatabaseEndpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Query plans as tests read them: the nodes of a statement's generic plan, prepared as the server prepares it. */
public final class Plans {

  private Plans() {
  }

  /**
   * Every node, depth first, of the generic plan of {@code sql} executed with {@code args} (its parameters, written as
   * SQL literals), prepared in a transaction of {@code as} scoped to {@code tenant} after {@code settings} (e.g.
   * {@code SET LOCAL enable_seqscan = off}). {@code explain} is EXPLAIN's options, {@code FORMAT JSON} among them.
   */
  public static List<JsonObject> generic(DatabaseEndpoint as, Object tenant, String sql, String args, String explain,
                                         String... settings) {
    String[] setup = Stream.concat(Stream.of("SELECT set_config('app.tenant_id', '" + tenant + "', true)",
            "SET LOCAL plan_cache_mode = force_generic_plan"), Stream.concat(Stream.of(settings),
            Stream.of("PREPARE planned AS " + sql))).toArray(String[]::new);
    try (Connection c = Sql.hold(as, setup);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("EXPLAIN (" + explain + ") EXECUTE planned(" + args + ")")) {
      rs.next();
      List<JsonObject> nodes = new ArrayList<>();
      collect(new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan"), nodes);
      return nodes;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(JsonObject node, List<JsonObject> into) {
    into.add(node);
    node.getJsonArray("Plans", new JsonArray()).forEach(child -> collect((JsonObject) child, into));
  }
}
