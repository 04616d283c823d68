package io.caduceus.api.organisation;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.vertx.core.Future;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rules every change of a facility, department or care team keeps alike: a change names the version it read
 * (412 otherwise), closing a closed group answers it as it is, and a name taken in its scope is a 409.
 */
final class GroupChanges {

  private GroupChanges() {
  }

  /** The found group if it is at {@code version}: 404 when there is none, 412 when it changed since. */
  static <T extends GroupTable.Named> T current(Optional<T> found, int version, String what) {
    T group = found.orElseThrow(() -> new NotFound("no such " + what));
    if (group.version() != version) {
      throw new PreconditionFailed("the " + what + " has changed since you read it");
    }
    return group;
  }

  /** The group just closed, or, when it was closed already, as it stands (empty when there is none). */
  static <T> Future<Optional<T>> closed(Future<Optional<T>> closing, Supplier<Future<Optional<T>>> asItIs) {
    return closing.compose(done -> done.isPresent() ? Future.succeededFuture(done) : asItIs.get());
  }

  /** A violation of the unique-name index {@code constraint} as a 409 saying {@code detail}; else the failure. */
  static <T> Future<T> nameTaken(Throwable failure, String constraint, String detail) {
    return ConstraintViolation.of(failure, constraint) ? Future.failedFuture(new Conflict(detail))
        : Future.failedFuture(failure);
  }
}
