package io.caduceus.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The build step that turns {@code openapi.yaml} into the JSON a node reads at start-up ({@code openapi.json} beside
 * it on the classpath), so that no start parses 380 KB of YAML (a second of a cold JVM's time, against a few
 * dozen milliseconds for the same document as JSON). {@code openapi.yaml} stays the only source: the JSON carries
 * the length and CRC-32 of the YAML it was made from (a check against a stale copy, not against tampering; under a
 * millisecond where a SHA-256 took 40-70 ms of a cold start), and {@link Contract#load} parses the YAML itself
 * whenever the two differ (an IDE that copied the YAML but did not run this step).
 *
 * <p>It also records the YAML's SHA-256, the contract's version its ETag names ({@link Contract#version}), so that
 * no start hashes the YAML (tens of milliseconds of a cold JVM, on the path to ready).
 *
 * <p>It also checks the router's copy against the OpenAPI meta-schema, as {@code OpenAPIContract.from} does, and
 * fails the build on an invalid contract: a node then skips that check at start-up ({@link Contract#forRouter}).
 * Run by Maven ({@code api/pom.xml}, phase {@code process-classes}):
 * {@code java io.caduceus.api.http.ContractJson <openapi.yaml> <openapi.json>}.
 */
public final class ContractJson {

  /** The classpath location of the JSON form. */
  public static final String RESOURCE = "/openapi.json";

  private ContractJson() {
  }

  /** Writes the JSON form of the YAML contract, after checking it as vertx-openapi would at start-up. */
  public static void main(String[] args) throws Exception {
    byte[] yaml = Files.readAllBytes(Path.of(args[0]));
    JsonObject document = parse(new String(yaml, StandardCharsets.UTF_8));
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract.from(vertx, Contract.routerCopy(document)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.MINUTES);
    } finally {
      vertx.close();
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, new JsonObject().put("yaml", fingerprint(yaml)).put("sha256", sha256(yaml))
        .put("document", document).encode(), StandardCharsets.UTF_8);
  }

  /** The YAML contract as a JSON document. */
  static JsonObject parse(String yaml) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new JsonObject(Json.encode(tree));
  }

  /** The YAML's length and CRC-32, which tie a JSON form to the YAML it was made from. */
  static String fingerprint(byte[] yaml) {
    CRC32 crc = new CRC32();
    crc.update(yaml);
    return yaml.length + ":" + Long.toHexString(crc.getValue());
  }

  /** The YAML's SHA-256, in hex. */
  static String sha256(byte[] yaml) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JSON form ({@code yaml}: the fingerprint, {@code sha256}, {@code document}) if it was made from exactly
   * {@code yaml}, else null.
   */
  static JsonObject form(byte[] json, byte[] yaml) {
    // From a String, not a Buffer: a Buffer would initialise Netty on this thread while Vert.x does on another.
    JsonObject form = new JsonObject(new String(json, StandardCharsets.UTF_8));
    return fingerprint(yaml).equals(form.getString("yaml")) && form.getString("sha256") != null ? form : null;
  }
}
