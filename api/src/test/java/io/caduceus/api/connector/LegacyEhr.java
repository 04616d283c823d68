package io.caduceus.api.connector;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A legacy EHR for tests: HAPI's plain RestfulServer in Jetty on 127.0.0.1, holding Patient, Condition, Observation
 * and MedicationRequest in memory, paging two at a time with {@code next} links and honouring {@code _lastUpdated}.
 * Every FHIR request needs a bearer token from its own client-credentials token endpoint, or HTTP basic auth.
 */
final class LegacyEhr implements AutoCloseable {

  static final String CLIENT_ID = "caduceus-import";
  static final String CLIENT_SECRET = "s3cret-client-Value-42";
  static final String USER = "importer";
  static final String PASSWORD = "Basic-Pa55word-99";

  private final Server server = new Server();
  private final Map<String, Map<String, Resource>> store = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final int port;

  LegacyEhr() throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    RestfulServer fhir = new RestfulServer(FhirContext.forR4Cached());
    fhir.setResourceProviders(new Provider(Patient.class), new Provider(Condition.class),
        new Provider(Observation.class), new Provider(MedicationRequest.class));
    FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(100);
    paging.setDefaultPageSize(2);
    paging.setMaximumPageSize(2);
    fhir.setPagingProvider(paging);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(fhir), "/fhir/*");
    context.addServlet(new ServletHolder(new TokenEndpoint()), "/token");
    context.addFilter(new FilterHolder((Filter) (request, response, chain) -> {
      if (authorised(((HttpServletRequest) request).getHeader("Authorization"))) {
        chain.doFilter(request, response);
      } else {
        ((HttpServletResponse) response).sendError(401);
      }
    }), "/fhir/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    this.port = connector.getLocalPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/fhir";
  }

  String tokenUrl() {
    return "http://127.0.0.1:" + port + "/token";
  }

  /** Stores the resource as a new version, changed now. */
  synchronized void put(Resource resource) {
    String type = resource.fhirType();
    String id = resource.getIdElement().getIdPart();
    Resource previous = store.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).get(id);
    int version = previous == null ? 1 : Integer.parseInt(previous.getMeta().getVersionId()) + 1;
    resource.setId(type + "/" + id);
    resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(new Date());
    store.get(type).put(id, resource);
  }

  private boolean authorised(String header) {
    if (header == null) {
      return false;
    }
    if (header.startsWith("Bearer ")) {
      return tokens.contains(header.substring(7));
    }
    return header.equals("Basic " + basic(USER, PASSWORD));
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Client credentials (RFC 6749 4.4) with the client authenticated by HTTP basic. */
  private final class TokenEndpoint extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (!("Basic " + basic(CLIENT_ID, CLIENT_SECRET)).equals(request.getHeader("Authorization"))
          || !"client_credentials".equals(request.getParameter("grant_type"))) {
        response.sendError(401);
        return;
      }
      String token = UUID.randomUUID().toString();
      tokens.add(token);
      response.setContentType("application/json");
      response.getWriter().write("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }
  }

  /** One type's resources, searched by {@code _lastUpdated}. */
  public final class Provider implements IResourceProvider {
    private final Class<? extends Resource> type;

    Provider(Class<? extends Resource> type) {
      this.type = type;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
      return type;
    }

    /** Every resource of the type, or those changed within the range. */
    @Search
    public IBundleProvider search(@OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated) {
      String name = FhirContext.forR4Cached().getResourceType(type);
      List<IBaseResource> found = new ArrayList<>();
      for (Resource resource : store.getOrDefault(name, Map.of()).values()) {
        if (within(resource.getMeta().getLastUpdated(), lastUpdated)) {
          found.add(resource);
        }
      }
      found.sort((a, b) -> a.getIdElement().getIdPart().compareTo(b.getIdElement().getIdPart()));
      return new SimpleBundleProvider(found);
    }
  }

  private static boolean within(Date updated, DateRangeParam range) {
    if (range == null || range.getLowerBound() == null) {
      return true;
    }
    DateParam lower = range.getLowerBound();
    return lower.getPrefix() == ParamPrefixEnum.GREATERTHAN ? updated.after(lower.getValue())
        : !updated.before(lower.getValue());
  }
}
