package io.caduceus.notifications.channel;

import com.google.api.client.http.javanet.NetHttpTransport;

import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.List;

/**
 * The HTTP transport the Google SDKs use when FCM is a local fake: the Firebase SDK has no setting for the FCM host,
 * so every connection to Google's FCM and OAuth hosts is opened to the fake's base URL instead.
 */
final class FcmTransport {

  private static final List<String> GOOGLE_HOSTS = List.of("https://fcm.googleapis.com", "https://oauth2.googleapis.com");

  private FcmTransport() {
  }

  /** A transport that sends FCM and OAuth calls to {@code baseUrl} ("http://127.0.0.1:8089"). */
  static NetHttpTransport rebasedTo(String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return new NetHttpTransport.Builder()
        .setConnectionFactory(url -> (HttpURLConnection) URI.create(rebase(url.toString(), base)).toURL()
            .openConnection(Proxy.NO_PROXY))
        .build();
  }

  /** {@code url} with a Google host replaced by {@code base}; other URLs unchanged. */
  static String rebase(String url, String base) {
    for (String host : GOOGLE_HOSTS) {
      if (url.startsWith(host + "/")) {
        return base + url.substring(host.length());
      }
    }
    return url;
  }
}
