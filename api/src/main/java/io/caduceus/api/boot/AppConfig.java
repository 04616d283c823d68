package io.caduceus.api.boot;

import io.caduceus.api.fhir.bulk.BulkLimits;
import io.caduceus.routing.web.CorsPolicy;
import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.engage.DispatchOptions;
import io.caduceus.notifications.engage.PlatformAccounts;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.quota.Quota;
import io.caduceus.routing.quota.QuotaGate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration, resolved from defaults, an optional JSON file and environment variables (see
 * {@link ConfigLoader}). With no database configured the server runs embedded PostgreSQL; with no Redis
 * configured it runs embedded Redis.
 */
public record AppConfig(
    Http http,
    Path dataDir,
    Database database,
    String redisUrl,
    String redisKeyPrefix,
    Security security,
    boolean seedDemo,
    boolean accessLog,
    Audit audit,
    Metrics metrics,
    Exchange exchange,
    Engagement engagement,
    Quotas quotas,
    Shutdown shutdown,
    BulkLimits bulk) {

  /**
   * The HTTP listener. {@code instances} is the number of API verticles (event loops) to deploy; {@code cors} the
   * web origins browsers may call the API from; {@code trustedProxies} the addresses whose
   * {@code X-Forwarded-Host} and {@code -Proto} name the public URL when {@code publicUrl} is not configured.
   */
  public record Http(String host, int port, int instances, int bodyLimitBytes, String publicUrl, CorsPolicy cors,
                     List<String> trustedProxies) {
  }

  /**
   * Where the databases are. {@code embedded} means this process starts PostgreSQL itself under the data
   * directory and creates a control plane plus one database per region. Otherwise each database is reached
   * as the app role ({@code app}) and migrated as the owner role ({@code owner}).
   */
  public record Database(boolean embedded, Map<String, String> regionNames, DatabaseEndpoint globalApp,
                         DatabaseEndpoint globalOwner, Map<String, DatabaseEndpoint> regionApp,
                         Map<String, DatabaseEndpoint> regionOwner, DatabaseEndpoint superuser, int poolSize) {
  }

  /** Keys and token lifetimes. A null master key means "read or create {@code master.key} in the data dir". */
  public record Security(String masterKey, Duration accessTokenTtl, Duration refreshTokenTtl, String issuer,
                         int loginFailuresBeforeThrottle, int registrationsPerWindow, Duration loginThrottleWindow) {
  }

  /**
   * Who may scrape {@code /metrics}: with a {@code token}, callers sending it as a bearer token; without one,
   * loopback callers when {@code loopbackWithoutToken} (the embedded demo), else nobody. {@code tenantLabel} adds
   * a per-tenant request series (one per tenant, operation and status) beside the per-operation histogram.
   */
  public record Metrics(String token, boolean tenantLabel, boolean loopbackWithoutToken) {
  }

  /**
   * Cross-tenant delivery: messages claimed per tenant per run, attempts before a message is dead, and the base
   * of the exponential retry backoff.
   */
  public record Exchange(int batchSize, int maxAttempts, Duration retryBase) {
  }

  /**
   * The engagement engine: how often its loops look for work and its schedules run, the dispatcher's options, the provider send timeout,
   * the platform's own provider accounts (null ones send to the sandbox), where the provider SDKs connect (the real
   * hosts unless overridden for local fakes), and each provider's rate per account.
   */
  public record Engagement(Duration tick, Duration scheduleEvery, DispatchOptions dispatch, Duration sendTimeout, PlatformAccounts accounts,
                           ProviderEndpoints endpoints, Map<String, Double> ratesPerSecond) {
  }

  /**
   * Request quotas: the default allowance of every tenant and of every user within a tenant (the platform owner
   * overrides both per tenant), the cost of an operation (a list or search costs {@code listCost}, any other read 1,
   * a write {@code writeCost}, unless {@code costs} names the operation), and what to do while Redis is down.
   */
  public record Quotas(boolean enabled, Quota tenant, Quota user, int listCost, int writeCost,
                       Map<String, Integer> costs, QuotaGate.Fallback fallback, int expectedNodes) {
  }

  /**
   * How often the sealer looks for new audit rows while it finds none (while it does, every 250 ms or this interval,
   * whichever is shorter), and how many rows a seal chains.
   */
  public record Audit(Duration sealInterval, int sealBatchSize) {
  }

  /**
   * How the node stops on SIGTERM: it answers readiness with 503 yet keeps serving for {@code unready} (so a load
   * balancer or the region router takes it out of rotation first), then stops accepting connections and gives the
   * requests in flight up to {@code drain} to finish before it stops its background work and closes its pools.
   */
  public record Shutdown(Duration unready, Duration drain) {
  }
}
