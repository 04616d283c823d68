package io.caduceus.api.auth;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * Password hashing off the event loop, on a small dedicated worker pool (Argon2id holds 19 MiB per hash, so the
 * pool also bounds memory). Verifying against an unknown user costs the same as against a known one.
 */
public final class Passwords {

  private final WorkerExecutor workers;
  private final PasswordHasher hasher = new PasswordHasher();
  private volatile String decoy;

  public Passwords(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** Hashes a new password. */
  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> hasher.hash(password), false);
  }

  /** Whether the password matches the hash; a null hash (no such user) is checked against a decoy. */
  public Future<Boolean> verify(String password, String hash) {
    return workers.executeBlocking(() -> {
      boolean matches = hasher.verify(password, hash == null ? decoy() : hash);
      return hash != null && matches;
    }, false);
  }

  private String decoy() {
    String d = decoy;
    if (d == null) {
      d = hasher.hash("decoy password that nobody has");
      decoy = d;
    }
    return d;
  }
}
