package io.caduceus.api.ops;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The base URL the published contract names as its server, so the docs' "Try it out" and generated clients reach
 * this server. The configured public URL wins. Without one, the URL is the one the caller used: the
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} a trusted proxy set, else the request's {@code Host} (this
 * node speaks plain HTTP). Forwarded headers from anyone else are ignored, and every value must look like a host
 * name or address and a port, or the contract names the relative URL {@code /}, which resolves against wherever the
 * caller fetched it from.
 */
public final class ServerUrl {

  private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(?::[0-9]{1,5})?");
  private static final String RELATIVE = "/";

  private final String configured;
  private final Set<String> trustedProxies;

  /**
   * @param configured the configured public URL ({@code CADUCEUS_PUBLIC_URL}), or null
   * @param trustedProxies the addresses of the proxies whose forwarded headers are believed
   */
  public ServerUrl(String configured, List<String> trustedProxies) {
    this.configured = configured == null ? null : withoutTrailingSlash(configured);
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  /** The configured public URL, or null when each request decides. */
  public String configured() {
    return configured;
  }

  /** The server URL for a request. */
  public String of(HttpServerRequest request) {
    if (configured != null) {
      return configured;
    }
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String forwardedHost = first(request.getHeader("X-Forwarded-Host"));
    if (peer != null && trustedProxies.contains(peer) && forwardedHost != null) {
      String proto = first(request.getHeader("X-Forwarded-Proto"));
      String scheme = "https".equalsIgnoreCase(proto) ? "https" : "http";
      return HOST.matcher(forwardedHost).matches() ? scheme + "://" + forwardedHost.toLowerCase(Locale.ROOT) : RELATIVE;
    }
    String host = request.getHeader("Host");
    return host != null && HOST.matcher(host).matches() ? "http://" + host.toLowerCase(Locale.ROOT) : RELATIVE;
  }

  /** A configured public URL must be an absolute http(s) URL; fails naming the variable otherwise. */
  public static String validated(String url) {
    if (url == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CADUCEUS_PUBLIC_URL is not a URL: " + url);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("CADUCEUS_PUBLIC_URL must be an absolute http or https URL: " + url);
    }
    return url.trim();
  }

  // A proxy chain lists one value per hop; the first is what the client asked for.
  private static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String value = (comma < 0 ? header : header.substring(0, comma)).trim();
    return value.isEmpty() ? null : value;
  }

  private static String withoutTrailingSlash(String url) {
    return url.replaceAll("/+$", "");
  }
}
