package io.caduceus.api.tiers;

import io.caduceus.routing.TenantRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The tenant archive, format version 1: a zip holding {@code tables/<table>.ndjson} (one JSON object per row, as
 * PostgreSQL's {@code row_to_json} renders it with the time zone set to UTC) and {@code manifest.json}, written
 * last. The manifest names the format and version, the tenant as the catalog knows it, the schema version the rows
 * were read at, the tenant's data keys (wrapped by the platform's master key, so only this platform can open the
 * sealed fields), its members, and for each table its file, row count, the SHA-256 of the file, and an
 * order-independent digest of its rows (the sum of each line's SHA-256 prefix, mod 2^128) that a restore recomputes
 * from the rows it wrote. README.md documents the format.
 *
 * <p>Blocking file work: call it from a worker thread.
 */
final class TenantArchive {

  static final String FORMAT = "caduceus-tenant-archive";
  static final int FORMAT_VERSION = 1;
  static final String MANIFEST = "manifest.json";

  private static final BigInteger MOD = BigInteger.ONE.shiftLeft(128);

  private TenantArchive() {
  }

  /** The order-independent digest of a table's rows, as JSON lines. */
  static final class RowDigest {
    private BigInteger sum = BigInteger.ZERO;
    private long rows;

    void add(String line) {
      byte[] hash = sha256().digest(line.getBytes(StandardCharsets.UTF_8));
      byte[] prefix = new byte[17];
      System.arraycopy(hash, 0, prefix, 1, 16);
      sum = sum.add(new BigInteger(prefix)).mod(MOD);
      rows++;
    }

    long rows() {
      return rows;
    }

    String value() {
      return String.format("%032x", sum);
    }
  }

  /** Writes one archive, table by table. */
  static final class Writer implements AutoCloseable {
    private final ZipOutputStream zip;
    private final JsonArray tables = new JsonArray();
    private MessageDigest file;
    private RowDigest rows;
    private String table;

    Writer(Path path) {
      try {
        Files.createDirectories(path.getParent());
        OutputStream out = Files.newOutputStream(path);
        this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the archive", e);
      }
    }

    void startTable(String name) {
      try {
        zip.putNextEntry(new ZipEntry(entry(name)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the archive", e);
      }
      table = name;
      file = sha256();
      rows = new RowDigest();
    }

    void rows(List<String> lines) {
      try {
        for (String line : lines) {
          byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
          zip.write(bytes);
          file.update(bytes);
          rows.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the archive", e);
      }
    }

    void endTable() {
      try {
        zip.closeEntry();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the archive", e);
      }
      tables.add(new JsonObject().put("name", table).put("file", entry(table)).put("rows", rows.rows())
          .put("sha256", HexFormat.of().formatHex(file.digest())).put("digest", rows.value()));
    }

    /** The tables written so far. */
    List<String> tablesWritten() {
      List<String> names = new ArrayList<>();
      tables.forEach(t -> names.add(((JsonObject) t).getString("name")));
      return names;
    }

    /** Writes the manifest (with the tables written) and closes the archive; the manifest. */
    JsonObject finish(JsonObject manifest) {
      JsonObject complete = manifest.copy().put("format", FORMAT).put("formatVersion", FORMAT_VERSION)
          .put("tables", tables);
      try {
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(complete.encodePrettily().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the archive", e);
      }
      return complete;
    }

    @Override
    public void close() {
      try {
        zip.close();
      } catch (IOException e) {
        // already closed by finish()
      }
    }
  }

  /** Reads the manifest, refusing archives of another format or version. */
  static JsonObject manifest(Path path) {
    try (ZipFile zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8)) {
      ZipEntry entry = zip.getEntry(MANIFEST);
      if (entry == null) {
        throw new IllegalArgumentException("the archive has no manifest");
      }
      JsonObject manifest = new JsonObject(new String(zip.getInputStream(entry).readAllBytes(),
          StandardCharsets.UTF_8));
      if (!FORMAT.equals(manifest.getString("format")) || manifest.getInteger("formatVersion", 0) != FORMAT_VERSION) {
        throw new IllegalArgumentException("not a version " + FORMAT_VERSION + " tenant archive");
      }
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archive", e);
    }
  }

  /** Checks every table file against the manifest's row count, SHA-256 and row digest. */
  static void verify(Path path, JsonObject manifest) {
    for (Object t : manifest.getJsonArray("tables")) {
      JsonObject table = (JsonObject) t;
      MessageDigest file = sha256();
      RowDigest rows = new RowDigest();
      lines(path, table.getString("file"), batch -> batch.forEach(line -> {
        file.update((line + "\n").getBytes(StandardCharsets.UTF_8));
        rows.add(line);
      }));
      if (rows.rows() != table.getLong("rows") || !HexFormat.of().formatHex(file.digest())
          .equals(table.getString("sha256")) || !rows.value().equals(table.getString("digest"))) {
        throw new IllegalArgumentException("table " + table.getString("name") + " does not match the manifest");
      }
    }
  }

  /** Reads a table file in batches of {@link TenantRows#BATCH} lines. */
  static void lines(Path path, String file, Consumer<List<String>> batches) {
    try (ZipFile zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8)) {
      ZipEntry entry = zip.getEntry(file);
      if (entry == null) {
        throw new IllegalArgumentException("the archive lacks " + file);
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(zip.getInputStream(entry),
          StandardCharsets.UTF_8))) {
        List<String> batch = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          batch.add(line);
          if (batch.size() == TenantRows.BATCH) {
            batches.accept(batch);
            batch = new ArrayList<>();
          }
        }
        if (!batch.isEmpty()) {
          batches.accept(batch);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archive", e);
    }
  }

  /** The SHA-256 of a whole file (the archive, for its download). */
  static String sha256(Path path) {
    try {
      MessageDigest digest = sha256();
      try (var in = Files.newInputStream(path)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archive", e);
    }
  }

  private static String entry(String table) {
    return "tables/" + table + ".ndjson";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
