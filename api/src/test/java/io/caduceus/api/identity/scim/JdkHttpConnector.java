package io.caduceus.api.identity.scim;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.client.ClientRequest;
import org.glassfish.jersey.client.ClientResponse;
import org.glassfish.jersey.client.spi.AsyncConnectorCallback;
import org.glassfish.jersey.client.spi.Connector;
import org.glassfish.jersey.client.spi.ConnectorProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Jersey's transport over the JDK's {@link HttpClient}. Jersey's default connector (HttpURLConnection) cannot send
 * PATCH, which SCIM's modify is, without reflection into {@code java.net}; this one sends any method.
 */
final class JdkHttpConnector implements Connector {

  /** Plugs the connector into a Jersey client. */
  static final ConnectorProvider PROVIDER = (client, configuration) -> new JdkHttpConnector();
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "upgrade", "expect");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public ClientResponse apply(ClientRequest request) {
    try {
      byte[] body = new byte[0];
      if (request.hasEntity()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        request.setStreamProvider(length -> out);
        request.writeEntity();
        body = out.toByteArray();
      }
      HttpRequest.Builder builder = HttpRequest.newBuilder(request.getUri()).timeout(Duration.ofSeconds(30))
          .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      request.getStringHeaders().forEach((name, values) -> {
        if (!RESTRICTED.contains(name.toLowerCase())) {
          values.forEach(v -> builder.header(name, v));
        }
      });
      HttpResponse<byte[]> sent = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      ClientResponse response = new ClientResponse(Response.Status.fromStatusCode(sent.statusCode()) == null
          ? new Custom(sent.statusCode()) : Response.Status.fromStatusCode(sent.statusCode()), request);
      sent.headers().map().forEach((name, values) -> values.forEach(v -> response.header(name, v)));
      response.setEntityStream(new ByteArrayInputStream(sent.body()));
      return response;
    } catch (IOException e) {
      throw new ProcessingException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessingException(e);
    }
  }

  @Override
  public Future<?> apply(ClientRequest request, AsyncConnectorCallback callback) {
    try {
      ClientResponse response = apply(request);
      callback.response(response);
      return CompletableFuture.completedFuture(response);
    } catch (ProcessingException e) {
      callback.failure(e);
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String getName() {
    return "JDK HttpClient";
  }

  @Override
  public void close() {
  }

  private record Custom(int getStatusCode) implements Response.StatusType {

    @Override
    public Response.Status.Family getFamily() {
      return Response.Status.Family.familyOf(getStatusCode);
    }

    @Override
    public String getReasonPhrase() {
      return "";
    }
  }
}
