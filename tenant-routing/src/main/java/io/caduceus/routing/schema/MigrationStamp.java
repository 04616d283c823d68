package io.caduceus.routing.schema;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A place's proof that Flyway last migrated one migration set there, validating it, with exactly the files this
 * process bundles and exactly the history the place now holds. With a current stamp nothing is pending and no
 * applied migration can have changed, so a restart may skip Flyway for that set: Flyway would load every script,
 * checksum it, compare it with the history and run the {@code beforeMigrate} callback, only to apply nothing.
 *
 * <p>Why skipping is safe: the stamp holds a hash of every file under the set's locations (scripts and callbacks,
 * whatever their names, with Flyway's main class and the placeholder values), and a digest of the history table's
 * rows (rank, version, description, type, script, checksum, success). An edited, added or removed script, another
 * Flyway, other roles, or any change to the history (a failed, repaired or deleted row) changes one of them, and
 * then Flyway runs and validates in full, as before. Dropping the history table drops the stamp with it. The stamp
 * is the history table's comment, written after a successful migrate under the migration lock, so it needs no table
 * of its own in every place.
 */
final class MigrationStamp {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationStamp.class);
  private static final String PREFIX = "caduceus: migrated and validated by Flyway: ";
  private static final Pattern HEX_PAIR = Pattern.compile("[0-9a-f]{64}:[0-9a-f]{32}");
  private static final String CLASSPATH = "classpath:";
  private static final String FILESYSTEM = "filesystem:";
  private static final Map<String, String> BUNDLES = new ConcurrentHashMap<>();
  /**
   * A jar's file names under one top folder ({@code db}), listed once: the jar is the whole fat jar (35,000 entries,
   * 50-140 ms to walk on a cold JVM), and each migration set's hash, computed at once on several start-up threads,
   * walked all of it for its own folder.
   */
  private static final Map<String, List<String>> JAR_FILES = new ConcurrentHashMap<>();

  private final String bundle;
  private final String schema;
  private final String table;

  private MigrationStamp(String bundle, String schema, String table) {
    this.bundle = bundle;
    this.schema = schema;
    this.table = table;
  }

  /** The stamp of {@code set} in {@code schema} (the connection's current schema when null). */
  static MigrationStamp of(Connection c, String schema, MigrationSet set, DatabaseRoles roles) throws SQLException {
    return new MigrationStamp(bundle(set, roles), schema != null ? schema : currentSchema(c), set.historyTable());
  }

  /** Whether the place's history table carries this stamp for its current rows. */
  boolean current(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT obj_description(to_regclass(?), 'pg_class')")) {
      s.setString(1, qualified());
      try (ResultSet rs = s.executeQuery()) {
        String comment = rs.next() ? rs.getString(1) : null;
        return comment != null && comment.equals(PREFIX + bundle + ":" + history(c));
      }
    }
  }

  /**
   * Stamps the history table after a successful migrate, under the same migration lock. A stamp that cannot be
   * written (a history table the owner role does not own, as an older deployment may have left) costs only speed:
   * the next start runs Flyway again, so it is logged, not thrown.
   */
  void write(Connection c) {
    try (Statement s = c.createStatement()) {
      String stamp = bundle + ":" + history(c);
      // COMMENT takes no bind parameter; the stamp is two hex digests, checked, and the names are plain identifiers.
      if (!HEX_PAIR.matcher(stamp).matches()) {
        throw new IllegalStateException("malformed migration stamp");
      }
      s.execute("COMMENT ON TABLE " + qualified() + " IS '" + PREFIX + stamp + "'");
    } catch (SQLException e) {
      LOG.warn("could not stamp {}; the next start validates it with Flyway again (SQLSTATE {})", table,
          e.getSQLState());
    }
  }

  /** The MD5 of the history rows Flyway validates against, in order (the table exists: it carries a stamp). */
  private String history(Connection c) throws SQLException {
    String rows = "SELECT md5(coalesce(string_agg(concat_ws('|', installed_rank, version, description, type, script,"
        + " checksum, success), ',' ORDER BY installed_rank), '')) FROM " + qualified();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(rows)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String qualified() {
    return SqlIdentifier.quoted(schema) + "." + SqlIdentifier.quoted(table);
  }

  private static String currentSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * SHA-256 over the set's files, Flyway's main class and the placeholders. Classpath files cannot change while the
   * process runs, so a set of them is hashed once; a set with a directory on disk (a test's) is hashed every time.
   */
  private static String bundle(MigrationSet set, DatabaseRoles roles) {
    String key = set + "|" + new TreeMap<>(roles.placeholders());
    boolean onClasspath = Arrays.stream(set.locations()).noneMatch(l -> l.startsWith(FILESYSTEM));
    return onClasspath ? BUNDLES.computeIfAbsent(key, k -> hash(set, k)) : hash(set, key);
  }

  private static String hash(MigrationSet set, String key) {
    Map<String, byte[]> files = new TreeMap<>();
    for (String location : set.locations()) {
      Map<String, byte[]> found = location.startsWith(FILESYSTEM)
          ? directory(location, Path.of(location.substring(FILESYSTEM.length())))
          : resources(location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location);
      // Files that cannot be listed would hash the same whatever they hold: refuse rather than skip Flyway wrongly.
      if (found.isEmpty()) {
        throw new IllegalStateException("no migrations found under " + location);
      }
      files.putAll(found);
    }
    files.put("flyway", read(Flyway.class.getResource("Flyway.class")));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      files.forEach((name, bytes) -> {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update(new byte[] {0});
        sha.update(bytes);
      });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file under a classpath folder, in directories (tests, IDE) or a jar, by its path from the folder. */
  private static Map<String, byte[]> resources(String folder) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      Enumeration<URL> roots = MigrationStamp.class.getClassLoader().getResources(folder);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        if ("jar".equals(root.getProtocol())) {
          JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile();
          for (String name : filesUnder(jar, folder.split("/", 2)[0])) {
            if (name.startsWith(folder + "/")) {
              try (InputStream in = jar.getInputStream(jar.getJarEntry(name))) {
                files.put(name, in.readAllBytes());
              }
            }
          }
        } else {
          files.putAll(directory(folder, Path.of(root.toURI())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  /** The names of a jar's files under a top folder, listed on the first call for that jar and folder. */
  private static List<String> filesUnder(JarFile jar, String top) {
    return JAR_FILES.computeIfAbsent(jar.getName() + "!/" + top, key -> {
      List<String> names = new ArrayList<>();
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (!entry.isDirectory() && entry.getName().startsWith(top + "/")) {
          names.add(entry.getName());
        }
      }
      return List.copyOf(names);
    });
  }

  /** Every file under a directory, by its path from it, named under {@code name}. */
  private static Map<String, byte[]> directory(String name, Path dir) {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(name + "/" + dir.relativize(file), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static byte[] read(URL url) {
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
