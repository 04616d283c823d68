package io.caduceus.routing.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web origins a browser may call the API from (the patient web app, the admin consoles), as configured for
 * the deployment: exact origins ({@code https://app.example.com}), never a wildcard, so a response is never shared
 * with a site nobody listed, and {@code Access-Control-Allow-Credentials} can be allowed without ever meeting
 * {@code *}.
 *
 * @param origins the allowed origins, normalised (lower case, no trailing slash, no default port)
 * @param allowCredentials whether browsers may send cookies or TLS client certificates along (the API itself
 *                         authenticates with bearer tokens, which need no credentials mode)
 */
public record CorsPolicy(Set<String> origins, boolean allowCredentials) {

  /** No origin may call the API from a browser. */
  public static final CorsPolicy NONE = new CorsPolicy(Set.of(), false);

  public CorsPolicy {
    origins = Set.copyOf(origins);
  }

  /** A policy from configured origin strings; fails naming the first value that is not an origin. */
  public static CorsPolicy of(List<String> configured, boolean allowCredentials) {
    Set<String> origins = new LinkedHashSet<>();
    for (String value : configured) {
      if (!value.isBlank()) {
        origins.add(normalise(value.trim()));
      }
    }
    return new CorsPolicy(origins, allowCredentials);
  }

  /** Whether the deployment allows the origin a browser sent. */
  public boolean allows(String origin) {
    return origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * An origin as a browser sends it: {@code scheme://host[:port]} with scheme {@code http} or {@code https}, no
   * path, query, fragment or user info. A wildcard or {@code null} is refused: list the origins.
   */
  public static String normalise(String value) {
    URI uri;
    try {
      uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("CORS origin is not a URL: " + value);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
        && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
      throw new IllegalArgumentException("CORS origin must be scheme://host[:port] (http or https, no path and no"
          + " wildcard): " + value);
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
