package io.caduceus.api.account;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.vertx.core.Future;

/** The problem a link that cannot be used answers: 404 for no such link, 409 for a used or expired one. */
final class TokenRefusals {

  private TokenRefusals() {
  }

  /** Fails with the reason {@code token} of {@code purpose} cannot be used. */
  static <T> Future<T> refuse(AccountTokens tokens, String token, Purpose purpose) {
    return tokens.refusal(token, purpose).compose(refusal -> Future.failedFuture(switch (refusal) {
      case UNKNOWN -> new NotFound("no such link; ask for a new email");
      case USED -> new Conflict("this link was already used or replaced by a newer one; ask for a new email");
      case EXPIRED -> new Conflict("this link has expired; ask for a new email");
    }));
  }
}
