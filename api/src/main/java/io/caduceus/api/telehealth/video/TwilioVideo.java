package io.caduceus.api.telehealth.video;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.VideoGrant;
import com.twilio.rest.video.v1.Room;
import com.twilio.rest.video.v1.RoomCreator;
import com.twilio.rest.video.v1.room.Participant;
import io.caduceus.notifications.channel.TwilioHttpClient;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Twilio Video through the Twilio SDK, for one tenant's account per call: rooms created and completed by the REST
 * API (blocking, so on the worker pool, bounded by the provider timeout) and access tokens with a Video grant,
 * signed with the account's API key. Every failure leaves as a {@link VideoFailures} problem, never the SDK's text.
 */
public final class TwilioVideo {

  /** The provider name of Twilio's rooms and tokens. */
  public static final String PROVIDER = "twilio";
  /** Twilio's "Room exists": an in-progress room already holds the unique name. */
  static final int ROOM_EXISTS = 53113;

  private final WorkerExecutor workers;
  private final Duration timeout;
  private final String baseUrl;
  /**
   * Made at the first call, not at start: its connection manager builds the default TLS context (the JDK's trust
   * store read and parsed), on the start's critical path for a node that may never open a room.
   */
  private TwilioHttpClient http;
  private final String callbackBase;

  /**
   * {@code baseUrl} null means the real Twilio; {@code callbackBase} (the public URL of {@code /v1/webhooks/twilio},
   * as the SMS status callbacks use it) null means rooms report no status callbacks.
   */
  public TwilioVideo(WorkerExecutor workers, String baseUrl, Duration timeout, String callbackBase) {
    this.workers = workers;
    this.timeout = timeout;
    this.baseUrl = baseUrl;
    this.callbackBase = callbackBase;
  }

  /** Creates the group room {@code uniqueName}, or answers the in-progress room that already holds the name. */
  public Future<VideoRoom> open(TwilioVideoAccount account, TenantId tenant, String uniqueName, int maxParticipants) {
    return onWorker(() -> {
      TwilioRestClient client = client(account);
      RoomCreator creator = Room.creator().setUniqueName(uniqueName).setType(Room.RoomType.GROUP)
          .setMaxParticipants(maxParticipants);
      if (callbackBase != null) {
        creator.setStatusCallback(callbackBase + "/" + tenant.value() + "/video")
            .setStatusCallbackMethod(HttpMethod.POST);
      }
      Room room;
      try {
        room = creator.create(client);
      } catch (ApiException e) {
        if (e.getCode() == null || e.getCode() != ROOM_EXISTS) {
          throw e;
        }
        room = Room.fetcher(uniqueName).fetch(client);
      }
      return new VideoRoom(PROVIDER, room.getSid(), uniqueName);
    });
  }

  /** Sets the room's status to completed; a room Twilio already ended (or no longer knows) is not an error. */
  public Future<Void> complete(TwilioVideoAccount account, VideoRoom room) {
    return onWorker(() -> {
      try {
        Room.updater(room.sid(), Room.RoomStatus.COMPLETED).update(client(account));
      } catch (ApiException e) {
        if (!VideoFailures.alreadyEnded(e)) {
          throw e;
        }
      }
      return null;
    });
  }

  /**
   * Disconnects the participant {@code identity} from the room (status {@code disconnected}, addressed by identity
   * as Twilio allows); a participant not in the room, or a room already ended, is not an error.
   */
  public Future<Void> disconnect(TwilioVideoAccount account, VideoRoom room, String identity) {
    return onWorker(() -> {
      try {
        Participant.updater(room.sid(), identity).setStatus(Participant.Status.DISCONNECTED).update(client(account));
      } catch (ApiException e) {
        if (!VideoFailures.alreadyEnded(e)) {
          throw e;
        }
      }
      return null;
    });
  }

  /** An access token for {@code identity} granting only {@code room}, signed with the account's API key secret. */
  public VideoToken token(TwilioVideoAccount account, VideoRoom room, String identity, Instant expiresAt) {
    int ttl = (int) Math.max(1, Duration.between(Instant.now(), expiresAt).toSeconds());
    try {
      String jwt = new AccessToken.Builder(account.accountSid(), account.apiKeySid(),
          account.apiKeySecret().getBytes(StandardCharsets.UTF_8))
          .identity(identity).grant(new VideoGrant().setRoom(room.uniqueName())).ttl(ttl).build().toJwt();
      return new VideoToken(PROVIDER, jwt, identity, room.uniqueName(), expiry(jwt));
    } catch (RuntimeException e) {
      // jjwt refuses a key too short for HS256: the tenant's API key secret is not a Twilio one.
      throw VideoFailures.unusableAccount();
    }
  }

  /** The token's own {@code exp}: the SDK counts the ttl from its clock, a moment after ours. */
  private static Instant expiry(String jwt) {
    String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    return Instant.ofEpochSecond(new JsonObject(claims).getLong("exp"));
  }

  /** Closes the connection pool. */
  public Future<Void> close() {
    TwilioHttpClient made;
    synchronized (this) {
      made = http;
    }
    return made == null ? Future.succeededFuture() : made.close();
  }

  private synchronized TwilioHttpClient http() {
    if (http == null) {
      http = new TwilioHttpClient(baseUrl, timeout);
    }
    return http;
  }

  private TwilioRestClient client(TwilioVideoAccount account) {
    return new TwilioRestClient.Builder(account.apiKeySid(), account.apiKeySecret()).accountSid(account.accountSid())
        .httpClient(http()).build();
  }

  /**
   * Runs a blocking SDK call on the worker pool. As for the SMS sender, the timeout starts when a worker starts the
   * call, not while it waits for one; the HTTP client's own read timeout (a second longer) frees the worker after.
   */
  private <T> Future<T> onWorker(Callable<T> call) {
    Promise<Void> started = Promise.promise();
    Future<T> result = workers.executeBlocking(() -> {
      started.tryComplete();
      return call.call();
    }, false);
    result.onFailure(started::tryFail);
    return started.future().compose(v -> result.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .recover(error -> Future.failedFuture(VideoFailures.of(error)));
  }
}
