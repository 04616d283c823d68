package io.caduceus.api.auth;

import io.vertx.core.json.JsonObject;

/** What a password login answers: a session, or, for a user with a second factor, the challenge to meet first. */
public sealed interface LoginResult permits SessionGrant, MfaChallenge {

  /** The contract's {@code Session} or {@code MfaChallenge}. */
  JsonObject toJson();
}
