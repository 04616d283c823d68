package io.caduceus.notifications.channel;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.api.client.http.HttpTransport;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push through one Firebase project with the Firebase Admin SDK. The SDK call blocks, so it runs on the worker pool.
 * FCM keeps no list of sent messages, so a send lost in a crash cannot be looked up; the collapse key makes a resend
 * replace, not repeat, the notification.
 */
public final class FcmSender implements Sender {

  /** FirebaseApp names are global to the JVM; two senders for one project (two verticles) must not collide. */
  private static final AtomicLong INSTANCES = new AtomicLong();

  private final FcmAccount account;
  private final WorkerExecutor workers;
  private final ProviderCall call;
  private final FirebaseApp app;

  /** A sender with its own FirebaseApp; {@code timeout} bounds each send. */
  public FcmSender(WorkerExecutor workers, FcmAccount account, ProviderEndpoints endpoints, Duration timeout) {
    this.account = account;
    this.workers = workers;
    this.call = new ProviderCall("fcm", timeout, FcmFailures::classify);
    this.app = FirebaseApp.initializeApp(options(account, endpoints, call), appName(account, endpoints));
  }

  @Override
  public String account() {
    return "fcm:" + account.projectId();
  }

  @Override
  public Future<Receipt> send(Outgoing message) {
    return call.onWorker(workers,
        () -> new Receipt("fcm", FirebaseMessaging.getInstance(app).send(FcmMessages.of(message))));
  }

  /** Deletes the FirebaseApp and its threads; the sender is unusable afterwards. */
  public Future<Void> close() {
    app.delete();
    return Future.succeededFuture();
  }

  private static FirebaseOptions options(FcmAccount account, ProviderEndpoints endpoints, ProviderCall call) {
    HttpTransport transport = endpoints.fcmBaseUrl() == null ? null : FcmTransport.rebasedTo(endpoints.fcmBaseUrl());
    FirebaseOptions.Builder options = FirebaseOptions.builder()
        .setProjectId(account.projectId())
        .setCredentials(credentials(account, transport))
        .setConnectTimeout(call.connectMillis())
        .setReadTimeout(call.readMillis());
    if (transport != null) {
      options.setHttpTransport(transport);
    }
    return options.build();
  }

  private static GoogleCredentials credentials(FcmAccount account, HttpTransport transport) {
    if (account.serviceAccountJson() == null) {
      return new FcmOfflineCredentials();
    }
    try (var json = new ByteArrayInputStream(account.serviceAccountJson().getBytes(StandardCharsets.UTF_8))) {
      // With a fake endpoint the OAuth token call goes to the fake too, through the same transport.
      return transport == null ? GoogleCredentials.fromStream(json) : GoogleCredentials.fromStream(json, () -> transport);
    } catch (IOException e) {
      // The SDK's message may quote the key file, so it is not passed on.
      throw new IllegalArgumentException("fcm service account JSON of " + account.projectId() + " is unreadable");
    }
  }

  private static String appName(FcmAccount account, ProviderEndpoints endpoints) {
    int fingerprint = Objects.hash(account.serviceAccountJson(), endpoints.fcmBaseUrl());
    return "caduceus-fcm-" + account.projectId() + "-" + HexFormat.of().toHexDigits(fingerprint)
        + "-" + INSTANCES.incrementAndGet();
  }
}
