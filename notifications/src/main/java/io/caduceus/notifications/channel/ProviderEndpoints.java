package io.caduceus.notifications.channel;

/**
 * Where the provider SDKs send their HTTP calls. Null means the providers' real hosts; tests and local setups
 * point them at fakes on 127.0.0.1 ("http://127.0.0.1:8089"). Only the platform sets these, never a tenant.
 */
public record ProviderEndpoints(String fcmBaseUrl, String twilioBaseUrl) {

  /** The providers' real hosts. */
  public static final ProviderEndpoints REAL = new ProviderEndpoints(null, null);
}
