package io.caduceus.routing.schema;

import io.caduceus.routing.DatabaseEndpoint;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the roles and databases Caduceus needs on a PostgreSQL cluster, as a superuser. It is idempotent, runs
 * before migrations, and is used by the embedded mode and the tests; an operator of an external cluster runs the
 * same statements once (see the README). Blocking: call it from a worker thread.
 */
public final class ClusterBootstrap {

  private ClusterBootstrap() {
  }

  /** Ensures the roles exist and every database exists, is owned by the owner role and open to the app role. */
  public static void ensure(DatabaseEndpoint superuser, DatabaseRoles roles, List<String> databases) {
    try (Connection c = DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password())) {
      ensureRole(c, roles.owner(), "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS", roles.ownerPassword());
      ensureRole(c, roles.app(), "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS", roles.appPassword());
      ensureRole(c, roles.scanner(), "NOLOGIN NOSUPERUSER NOBYPASSRLS", null);
      execute(c, "GRANT " + ident(roles.scanner()) + " TO " + ident(roles.owner()));
      for (String database : databases) {
        ensureDatabase(c, database, roles);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cluster bootstrap failed: " + e.getSQLState(), e);
    }
  }

  /**
   * Ensures one more database exists (a tenant's own), owned by the owner role and open to the app role. {@code as}
   * is a superuser, or any role that may create databases.
   */
  public static void ensureDatabase(DatabaseEndpoint as, DatabaseRoles roles, String database) {
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password())) {
      ensureDatabase(c, database, roles);
    } catch (SQLException e) {
      throw new IllegalStateException("creating a database failed: " + e.getSQLState(), e);
    }
  }

  private static void ensureRole(Connection c, String role, String attributes, String password) throws SQLException {
    if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
      execute(c, "CREATE ROLE " + ident(role) + " " + attributes);
    }
    if (password != null && !password.isEmpty()) {
      // pgjdbc hashes the password (SCRAM) on the client, so it never travels or gets logged as SQL text.
      c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
    }
  }

  private static void ensureDatabase(Connection c, String database, DatabaseRoles roles) throws SQLException {
    if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
      execute(c, "CREATE DATABASE " + ident(database) + " OWNER " + ident(roles.owner()) + " ENCODING 'UTF8'");
    }
    execute(c, "REVOKE ALL ON DATABASE " + ident(database) + " FROM PUBLIC");
    execute(c, "GRANT CONNECT, TEMPORARY ON DATABASE " + ident(database) + " TO " + ident(roles.app()));
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void execute(Connection c, String ddl) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(ddl);
    }
  }

  private static String ident(String name) {
    return SqlIdentifier.quoted(name);
  }
}
