package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Refuses to start when the role the server connects as could see past row-level security: a superuser, a role
 * with BYPASSRLS, the owner of any table, or a member of the scanner role (whose policies span tenants). A
 * misconfigured URL (say, the owner's) must stop the node, not quietly open every tenant to every other.
 * Blocking: call it from a worker thread.
 */
public final class RoleCheck {

  private static final String CHECK = """
      SELECT r.rolsuper, r.rolbypassrls,
        (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p', 'v', 'm')) AS owned,
        (SELECT count(*) FROM pg_roles a WHERE a.rolname = ? AND pg_has_role(r.oid, a.oid, 'MEMBER')) AS scanner
      FROM pg_roles r
      WHERE r.rolname = current_user""";

  private RoleCheck() {
  }

  /** Fails with {@link IllegalStateException} naming the problem (never the password) if the app role is unsafe. */
  public static void requireConfined(DatabaseEndpoint app, DatabaseRoles roles) {
    try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
         PreparedStatement ps = c.prepareStatement(CHECK)) {
      ps.setString(1, roles.scanner());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String problem = rs.getBoolean("rolsuper") ? "is a superuser"
            : rs.getBoolean("rolbypassrls") ? "has BYPASSRLS"
            : rs.getLong("owned") > 0 ? "owns tables (use a separate owner role for migrations)"
            : rs.getLong("scanner") > 0 ? "is a member of " + roles.scanner()
            : null;
        if (problem != null) {
          throw new IllegalStateException("the app role " + app.user() + " on " + app.database() + " " + problem
              + "; it must be confined by row-level security");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check the app role on " + app.database() + ": " + e.getSQLState(), e);
    }
  }
}
