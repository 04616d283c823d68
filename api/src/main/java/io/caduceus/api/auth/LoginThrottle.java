package io.caduceus.api.auth;

import io.caduceus.api.error.TooManyRequests;
import io.caduceus.routing.RareWarning;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Throttles password guessing in Redis. Every attempt for an email is counted atomically before the password is
 * checked, so parallel guesses cannot slip past the limit; a success clears the count. Failures from one
 * address are counted too (with a ten times higher limit), so one client cannot sweep many accounts. Over either
 * limit, attempts are refused with 429 until the window ends. Self-service registrations are counted per address
 * the same way, and so are public code exchanges that named nothing (a telehealth guest's join code or key). Emails and addresses are hashed in key names. While Redis cannot answer, each node counts in its
 * own memory ({@link LocalCounters}) with the same limits, so logins go on and guessing stays throttled.
 */
public final class LoginThrottle {

  // KEYS: the email's attempts, the address's failures. ARGV: the window in seconds.
  private static final String ADMIT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      local f = tonumber(redis.call('GET', KEYS[2]) or '0')
      return {n, f, redis.call('TTL', KEYS[1]), redis.call('TTL', KEYS[2])}""";
  private static final String COUNT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n""";
  private static final String FORGIVE = """
      local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      if n > 0 then return redis.call('DECR', KEYS[1]) end return 0""";
  private static final String COUNT_WITH_TTL = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return {n, redis.call('TTL', KEYS[1])}""";

  private static final String PEEK_WITH_TTL = """
      return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('TTL', KEYS[1])}""";

  private static final RareWarning UNAVAILABLE = new RareWarning(LoggerFactory.getLogger(LoginThrottle.class),
      10_000);

  /** An email's attempts and its address's failures in their windows, with the seconds each has left. */
  private record Admission(long attempts, long failures, long attemptsLeft, long failuresLeft) {
  }

  private final RedisAPI redis;
  private final LocalCounters local = new LocalCounters();
  private final String prefix;
  private final int limit;
  private final int registrations;
  private final Duration window;

  public LoginThrottle(RedisAPI redis, String prefix, int limit, int registrations, Duration window) {
    this.redis = redis;
    this.prefix = prefix;
    this.limit = limit;
    this.registrations = registrations;
    this.window = window;
  }

  /** Counts an attempt; fails with {@link TooManyRequests} while the email or the address is over its limit. */
  public Future<Void> admit(String email, String address) {
    String emailKey = emailKey(email);
    String addressKey = addressKey(address);
    return redis.eval(List.of(ADMIT, "2", emailKey, addressKey, String.valueOf(window.toSeconds())))
        .map(r -> new Admission(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong()))
        .recover(e -> {
          unavailable(e);
          LocalCounters.Count attempts = local.increment(emailKey, window);
          LocalCounters.Count failures = local.get(addressKey);
          return Future.succeededFuture(new Admission(attempts.value(), failures.value(), attempts.secondsLeft(),
              failures.secondsLeft()));
        })
        .compose(a -> {
          if (a.attempts() > limit) {
            return refuse(a.attemptsLeft());
          }
          if (a.failures() >= limit * 10L) {
            return refuse(a.failuresLeft());
          }
          return Future.succeededFuture();
        });
  }

  /** Counts a failed attempt against the address (the email's attempt was counted on admission). */
  public Future<Void> failed(String address) {
    String key = addressKey(address);
    return redis.eval(List.of(COUNT, "1", key, String.valueOf(window.toSeconds()))).<Void>mapEmpty()
        .recover(e -> {
          unavailable(e);
          local.increment(key, window);
          return Future.succeededFuture();
        });
  }

  /** Counts a self-service registration from an address; fails with {@link TooManyRequests} over its limit. */
  public Future<Void> admitRegistration(String address) {
    String key = prefix + "registrations-from:" + sha256(address == null ? "unknown" : address);
    return redis.eval(List.of(COUNT_WITH_TTL, "1", key, String.valueOf(window.toSeconds())))
        .map(r -> new LocalCounters.Count(r.get(0).toLong(), r.get(1).toLong()))
        .recover(e -> {
          unavailable(e);
          return Future.succeededFuture(local.increment(key, window));
        })
        .compose(c -> c.value() > registrations ? refuse(c.secondsLeft()) : Future.succeededFuture());
  }

  /**
   * Admits an attempt to exchange a bearer code at a public endpoint (a telehealth guest's join code or key); fails
   * with {@link TooManyRequests} while the address has failed too often in the window (ten times the login limit,
   * as for an address's login failures). The code itself is not counted: a guesser does not know one.
   */
  public Future<Void> admitCode(String address) {
    String key = codeKey(address);
    return redis.eval(List.of(PEEK_WITH_TTL, "1", key))
        .map(r -> new LocalCounters.Count(r.get(0).toLong(), r.get(1).toLong()))
        .recover(e -> {
          unavailable(e);
          return Future.succeededFuture(local.get(key));
        })
        .compose(c -> c.value() >= limit * 10L ? refuse(c.secondsLeft()) : Future.succeededFuture());
  }

  /** Counts a code the address presented that named nothing (unknown, spent or revoked). */
  public Future<Void> codeFailed(String address) {
    String key = codeKey(address);
    return redis.eval(List.of(COUNT, "1", key, String.valueOf(window.toSeconds()))).<Void>mapEmpty()
        .recover(e -> {
          unavailable(e);
          local.increment(key, window);
          return Future.succeededFuture();
        });
  }

  /**
   * Counts a request for an account email ({@code kind}: a password reset, a verification) for an address from a
   * client address; fails with {@link TooManyRequests} over the login limit per email (ten times it per client
   * address). It counts whether or not an account has the email, so the answer says nothing about it.
   */
  public Future<Void> admitAccountMail(String kind, String email, String address) {
    String emailKey = prefix + kind + "-for:" + sha256(email.trim().toLowerCase(Locale.ROOT));
    String addressKey = prefix + kind + "-from:" + sha256(address == null ? "unknown" : address);
    return count(emailKey).compose(c -> c.value() > limit ? refuse(c.secondsLeft()) : Future.succeededFuture())
        .compose(v -> count(addressKey))
        .compose(c -> c.value() > limit * 10L ? refuse(c.secondsLeft()) : Future.succeededFuture());
  }

  private Future<LocalCounters.Count> count(String key) {
    return redis.eval(List.of(COUNT_WITH_TTL, "1", key, String.valueOf(window.toSeconds())))
        .map(r -> new LocalCounters.Count(r.get(0).toLong(), r.get(1).toLong()))
        .recover(e -> {
          unavailable(e);
          return Future.succeededFuture(local.increment(key, window));
        });
  }

  /**
   * Takes back an email's attempt that ended before its password was checked (the database could not be read): an
   * outage must not lock out the users who retried through it.
   */
  public Future<Void> forgive(String email) {
    return redis.eval(List.of(FORGIVE, "1", emailKey(email))).mapEmpty();
  }

  /** Clears an email's attempts after a successful login. */
  public Future<Void> succeeded(String email) {
    String key = emailKey(email);
    local.clear(key);
    return redis.del(List.of(key)).<Void>mapEmpty().recover(e -> {
      unavailable(e);
      return Future.succeededFuture();
    });
  }

  /** Redis is down: each node counts on its own until it is back (a guesser spread over n nodes gets n times). */
  private static void unavailable(Throwable e) {
    UNAVAILABLE.warn("login throttle store unavailable, counting on this node: {}", e.getClass().getSimpleName());
  }

  private Future<Void> refuse(long ttl) {
    return Future.failedFuture(new TooManyRequests("too many attempts; try again later",
        ttl > 0 ? ttl : window.toSeconds()));
  }

  private String emailKey(String email) {
    return prefix + "login-attempts:" + sha256(email.trim().toLowerCase(Locale.ROOT));
  }

  private String codeKey(String address) {
    return prefix + "code-failures-from:" + sha256(address == null ? "unknown" : address);
  }

  private String addressKey(String address) {
    return prefix + "login-failures-from:" + sha256(address == null ? "unknown" : address);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
