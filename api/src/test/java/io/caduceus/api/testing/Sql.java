package io.caduceus.api.testing;

import io.caduceus.routing.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC for tests that look at (or attack) the database directly, as a given role. */
public final class Sql {

  private Sql() {
  }

  /** Runs a query and returns its rows. */
  public static List<Map<String, Object>> query(DatabaseEndpoint as, String sql, Object... params) {
    try (Connection c = connect(as); PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** Runs one parameterised change and returns its update count. */
  public static int update(DatabaseEndpoint as, String sql, Object... params) {
    try (Connection c = connect(as); PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** Runs statements in one transaction; returns the update count of the last. */
  public static int execute(DatabaseEndpoint as, String... statements) {
    try (Connection c = connect(as)) {
      c.setAutoCommit(false);
      int count = 0;
      for (String statement : statements) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.execute();
          count = ps.getUpdateCount();
        }
      }
      c.commit();
      return count;
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /**
   * Opens a transaction, runs {@code statements} in it and leaves it open (holding, for example, a table lock) until
   * the connection is committed or closed.
   */
  public static Connection hold(DatabaseEndpoint as, String... statements) {
    try {
      Connection c = connect(as);
      c.setAutoCommit(false);
      for (String statement : statements) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          ps.execute();
        }
      }
      return c;
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** A failed statement, with the server's message (tests assert on it). */
  public static final class SqlFailure extends RuntimeException {
    SqlFailure(SQLException e) {
      super(e.getMessage(), e);
    }
  }

  private static Connection connect(DatabaseEndpoint as) throws SQLException {
    return DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }
}
