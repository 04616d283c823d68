package io.caduceus.api.ops;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server URL the contract names, decided on real requests (a real HTTP server, raw requests from loopback):
 * the configured URL wins; else the forwarded host of a trusted proxy; else the Host the caller used; never a
 * value that does not look like a host.
 */
class ServerUrlTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void theConfiguredPublicUrlWinsOverAnythingTheRequestSays() throws Exception {
    int port = serve(new ServerUrl("https://api.example.com/", List.of("127.0.0.1")));
    assertThat(ask(port, "Host: evil.example\r\nX-Forwarded-Host: evil.example\r\n"))
        .isEqualTo("https://api.example.com");
  }

  @Test
  void withoutOneTheCallersHostIsUsedAndForwardedHeadersOnlyFromATrustedProxy() throws Exception {
    int untrusting = serve(new ServerUrl(null, List.of()));
    assertThat(ask(untrusting, "Host: api.example.com:8443\r\n")).isEqualTo("http://api.example.com:8443");
    assertThat(ask(untrusting, "Host: [::1]:8080\r\n")).isEqualTo("http://[::1]:8080");
    assertThat(ask(untrusting, "Host: 10.0.0.7\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"))
        .isEqualTo("http://10.0.0.7");
    int behindProxy = serve(new ServerUrl(null, List.of("127.0.0.1")));
    assertThat(ask(behindProxy, "Host: node-3:8080\r\nX-Forwarded-Host: api.example.com, node-3\r\n"
        + "X-Forwarded-Proto: https\r\n")).isEqualTo("https://api.example.com");
    assertThat(ask(behindProxy, "Host: node-3:8080\r\nX-Forwarded-Host: api.example.com\r\n"
        + "X-Forwarded-Proto: gopher\r\n")).isEqualTo("http://api.example.com");
  }

  @Test
  void aValueThatIsNoHostNameIsNeverPublishedTheRelativeUrlIs() throws Exception {
    int behindProxy = serve(new ServerUrl(null, List.of("127.0.0.1")));
    assertThat(ask(behindProxy, "Host: node-3\r\nX-Forwarded-Host: evil.example/\"#\r\n")).isEqualTo("/");
    assertThat(ask(behindProxy, "Host: node-3\r\nX-Forwarded-Host: user@evil.example\r\n")).isEqualTo("/");
  }

  private int serve(ServerUrl url) throws Exception {
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(request -> request.response().end(url.of(request)))
        .listen(0));
    return server.actualPort();
  }

  /** Sends a raw HTTP/1.1 request with the given header lines, and returns the answer's body. */
  private static String ask(int port, String headers) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /openapi.yaml HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
