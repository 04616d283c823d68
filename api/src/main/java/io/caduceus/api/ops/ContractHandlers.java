package io.caduceus.api.ops;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.http.Contract;
import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published contract ({@code /openapi.yaml}), naming this server's URL, and its Swagger UI ({@code /docs})
 * served from the webjar. The contract and the page are revalidated ({@code no-cache}, with an ETag for the
 * contract); the viewer's files are cached for a day.
 */
public final class ContractHandlers {

  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";
  private static final String REVALIDATE = "no-cache";
  private static final Map<String, String> ASSETS = Map.of(
      "swagger-ui.css", "text/css",
      "swagger-ui-bundle.js", "text/javascript",
      "swagger-ui-standalone-preset.js", "text/javascript",
      "favicon-32x32.png", "image/png",
      "init.js", "text/javascript");

  private final Vertx vertx;
  private final Contract contract;
  private final ServerUrl serverUrl;
  private final String webjarRoot;
  private final String contractVersion;
  private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

  public ContractHandlers(Vertx vertx, Contract contract, ServerUrl serverUrl, String webjarRoot) {
    this.vertx = vertx;
    this.contract = contract;
    this.serverUrl = serverUrl;
    this.webjarRoot = webjarRoot;
    // Recorded at build time: hashing the YAML here cost tens of milliseconds of the router's build, before ready.
    this.contractVersion = contract.version().substring(0, 16);
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("getContract", this::contract);
    ops.bindRaw("getDocs", rc -> asset("docs/index.html").onSuccess(html -> rc.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Cache-Control", REVALIDATE)
        .end(html)).onFailure(rc::fail));
    ops.bindRaw("getDocsAsset", this::docsAsset);
  }

  private void contract(RoutingContext rc) {
    String url = serverUrl.of(rc.request());
    // The contract's version and the server URL it names: a copy fetched through another host is another copy.
    String etag = "\"" + contractVersion + "-" + sha256(url.getBytes(StandardCharsets.UTF_8)).substring(0, 8) + "\"";
    rc.response().putHeader("ETag", etag).putHeader("Cache-Control", REVALIDATE);
    if (ETags.matchesAny(rc.request().getHeader("If-None-Match"), etag)) {
      rc.response().setStatusCode(304).end();
      return;
    }
    rc.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(contract.yaml(url));
  }

  private void docsAsset(RoutingContext rc) {
    String name = rc.pathParam("asset");
    String type = ASSETS.get(name);
    if (type == null) {
      rc.fail(new NotFound("no such documentation asset"));
      return;
    }
    String path = "init.js".equals(name) ? "docs/init.js" : webjarRoot + name;
    asset(path).onSuccess(bytes -> {
      rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "public, max-age=86400");
      if (type.startsWith("image/")) {
        rc.response().putHeader("Content-Encoding", "identity"); // already compressed: gzip would only cost CPU
      }
      rc.response().end(bytes);
    }).onFailure(rc::fail);
  }

  private Future<Buffer> asset(String path) {
    Buffer cached = cache.get(path);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return vertx.executeBlocking(() -> {
      try (InputStream in = ContractHandlers.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new NotFound("no such documentation asset");
        }
        Buffer bytes = Buffer.buffer(in.readAllBytes());
        cache.put(path, bytes);
        return bytes;
      }
    }, false);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the Swagger UI webjar's files are on the classpath. Blocking (reads a resource): call it on a worker. */
  public static String webjarRoot() {
    try (InputStream in = ContractHandlers.class.getResourceAsStream("/docs/swagger-ui.properties")) {
      if (in == null) {
        throw new IOException("docs/swagger-ui.properties missing");
      }
      Properties p = new Properties();
      p.load(in);
      return "META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
