package io.caduceus.routing;

import io.vertx.pgclient.PgConnectOptions;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Where one PostgreSQL database is and which role connects to it. */
public record DatabaseEndpoint(String host, int port, String database, String user, String password) {

  public DatabaseEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    password = password == null ? "" : password;
  }

  /** Parses {@code postgresql://user:password@host:port/database}. */
  public static DatabaseEndpoint parse(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("not a postgresql:// URL");
    }
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo();
    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return new DatabaseEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
  }

  /** The same server and database, reached as another role. */
  public DatabaseEndpoint as(String otherUser, String otherPassword) {
    return new DatabaseEndpoint(host, port, database, otherUser, otherPassword);
  }

  /** The same server and role, on another database. */
  public DatabaseEndpoint onDatabase(String otherDatabase) {
    return new DatabaseEndpoint(host, port, otherDatabase, user, password);
  }

  /** The JDBC URL Flyway uses. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Options for the reactive client, with statement caching and pipelining on. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        .setPipeliningLimit(256);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
