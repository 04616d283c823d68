package io.caduceus.api.auth;

import io.caduceus.api.auth.mfa.MfaRepository;
import io.caduceus.routing.keys.SecretTokens;
import io.caduceus.routing.catalog.Membership;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.TenantStatus;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Login, refresh-token rotation, tenant switching and logout. Every token it issues is for one active tenant;
 * a refresh re-reads the membership, so role changes and removals reach the next token. A user with a second factor
 * gets an MFA ticket from the password, not tokens; every token says what its session proved ({@link Assurance}),
 * and a session that lacks a second factor its tenant's policy requires is marked pending (it may only enrol).
 */
public final class AuthService {

  /** How long an MFA ticket lasts. */
  public static final Duration TICKET_TTL = Duration.ofMinutes(5);

  private final ControlPlane controlPlane;
  private final UserRepository users;
  private final SessionRepository sessions;
  private final Passwords passwords;
  private final AccessTokens accessTokens;
  private final Revocations revocations;
  private final LoginThrottle throttle;
  private final Duration sessionTtl;
  private final MfaRepository mfa;
  private volatile PasswordLoginRule passwordRule = PasswordLoginRule.ANY;

  public AuthService(ControlPlane controlPlane, UserRepository users, SessionRepository sessions, Passwords passwords,
                     AccessTokens accessTokens, Revocations revocations, LoginThrottle throttle, Duration sessionTtl,
                     MfaRepository mfa) {
    this.controlPlane = controlPlane;
    this.users = users;
    this.sessions = sessions;
    this.passwords = passwords;
    this.accessTokens = accessTokens;
    this.revocations = revocations;
    this.throttle = throttle;
    this.sessionTtl = sessionTtl;
    this.mfa = mfa;
  }

  /** Sets which tenants take passwords from which members (single sign-on's requirement); wired once at start. */
  public void passwordRule(PasswordLoginRule rule) {
    this.passwordRule = rule;
  }

  /**
   * Checks a password and opens a session in the requested tenant (or the first usable one); for a user with a
   * second factor, answers its challenge instead.
   */
  public Future<LoginResult> login(String email, String password, Optional<TenantId> tenant, String address,
                                   String device) {
    return throttle.admit(email, address)
        .compose(v -> users.byEmail(email)
            .recover(unread -> throttle.forgive(email).transform(x -> Future.failedFuture(unread))))
        .compose(user -> passwords.verify(password, user.filter(User::active).map(User::passwordHash).orElse(null))
            .compose(matches -> {
              if (!matches) {
                return throttle.failed(address)
                    .compose(x -> Future.failedFuture(new Unauthorized("email or password is incorrect")));
              }
              return throttle.succeeded(email).compose(x -> users.touchLogin(user.get().id()))
                  .map(x -> user.get());
            }))
        .compose(user -> users.memberships(user.id()).compose(all -> {
          Membership active = choose(all, tenant);
          return passwordRule.check(user.id(), active).compose(v -> mfa.confirmed(user.id()))
              .compose(has -> has ? challenge(user.id(), tenant) : open(user.id(), active, all, Assurance.password(), device)
                  .map(LoginResult.class::cast));
        }));
  }

  /** Opens the session of a login whose second factor was just verified ({@code methods} what it proved). */
  public Future<SessionGrant> completeLogin(UUID userId, Optional<TenantId> tenant, List<String> methods,
                                            String device) {
    return users.memberships(userId).compose(all -> open(userId, choose(all, tenant), all,
        Assurance.password().plus(methods), device));
  }

  /**
   * Records in a live session that its user just proved {@code methods} (a step-up, or a second factor enrolled), and
   * issues fresh tokens for that same session, whose {@code amr} and {@code auth_time} say so.
   */
  public Future<SessionGrant> prove(UUID sessionId, List<String> methods) {
    return sessions.live(sessionId).compose(live -> {
      if (live.isEmpty()) {
        return Future.failedFuture(Unauthorized.invalidToken("this session has ended; log in again"));
      }
      return sessions.prove(sessionId, live.get().assurance().plus(methods))
          .compose(proved -> proved.isEmpty()
              ? Future.failedFuture(Unauthorized.invalidToken("this session has ended; log in again"))
              : reissueWithNewRefresh(proved.get()));
    });
  }

  /** Spends a refresh token and issues the next pair; a reused token ends its whole session. */
  public Future<SessionGrant> refresh(String refreshToken) {
    byte[] hash = SecretTokens.hash(refreshToken);
    String next = SecretTokens.next();
    return controlPlane.inTransaction(conn -> sessions.spend(conn, hash).compose(live -> {
          if (live.isEmpty()) {
            return Future.succeededFuture(Optional.<SessionRepository.LiveSession>empty());
          }
          return sessions.addRefresh(conn, live.get().id(), live.get().expiresAt(), SecretTokens.hash(next))
              .map(v -> live);
        }))
        .compose(live -> live.isPresent() ? reissue(live.get(), next) : refuseRefresh(hash));
  }

  /** Ends a session: its access tokens stop working on the next request, its refresh tokens at once. */
  public Future<Void> logout(UUID sessionId) {
    return end(List.of(sessionId), "logout");
  }

  /**
   * Opens a session in another tenant the user belongs to, from {@code device}, and ends the current one; not into a
   * tenant that requires single sign-on for its staff. The new session keeps what the current one proved (its MFA).
   */
  public Future<SessionGrant> switchTenant(UUID userId, UUID currentSession, TenantId target, String device) {
    // A tenant that refuses its staff's passwords also refuses a session carried over from another tenant: its own
    // IdP must vouch (sign in there through single sign-on instead).
    return sessions.live(currentSession).compose(live -> users.memberships(userId).compose(all -> {
          Membership chosen = choose(all, Optional.of(target));
          Assurance carried = live.map(SessionRepository.LiveSession::assurance).orElse(Assurance.password());
          return passwordRule.check(userId, chosen).compose(v -> open(userId, chosen, all, carried.pending(false),
              device));
        }))
        .compose(grant -> end(List.of(currentSession), "switched tenant").map(grant));
  }

  /** Opens a session for a user who just proved who they are with a password some other way (an invitation). */
  public Future<SessionGrant> openFor(UUID userId, TenantId tenant) {
    return openFor(userId, tenant, List.of("pwd"));
  }

  /**
   * Opens a session for a user who just proved who they are some other way, whose tokens carry {@code amr} (the
   * methods the caller proved; an identity provider's, say) and {@code auth_time} now. The session counts as
   * multi-factor when {@code amr} contains {@code "mfa"}; otherwise the tenant's MFA policy may leave it pending.
   */
  public Future<SessionGrant> openFor(UUID userId, TenantId tenant, List<String> amr) {
    return users.memberships(userId).compose(all -> open(userId, choose(all, Optional.of(tenant)), all,
        new Assurance(amr, Instant.now(), false), null));
  }

  /**
   * Opens a session for a user their tenant's identity provider just vouched for (single sign-on). {@code idpAmr} is
   * the ID token's {@code amr} claim (how the IdP authenticated them, e.g. {@code ["pwd", "mfa"]}). The session's
   * {@code amr} is {@code ["ext"]}, plus {@code "mfa"} when the IdP says it used several factors (RFC 8176's
   * {@code mfa}; a single method such as {@code otp} alone is one factor), so an IdP's MFA satisfies the tenant's
   * policy and a step-up; otherwise the policy may leave the session pending until a Caduceus factor is proved.
   */
  public Future<SessionGrant> openSso(UUID userId, TenantId tenant, List<String> idpAmr) {
    return openFor(userId, tenant, idpAmr.contains("mfa") ? List.of("ext", "mfa") : List.of("ext"));
  }

  /** Ends every session of a member in a tenant (after a role change or removal). */
  public Future<Void> endMember(UUID userId, TenantId tenant, String reason) {
    return sessions.endMember(userId, tenant, reason).compose(revocations::endSessions);
  }

  /** Ends every session in a tenant (on suspension). */
  public Future<Void> endTenant(TenantId tenant, String reason) {
    return sessions.endTenant(tenant, reason).compose(revocations::endSessions);
  }

  /** The user and their memberships, for {@code GET /v1/auth/me}. */
  public Future<UserProfile> profile(UUID userId) {
    return users.byId(userId).compose(user -> user.isEmpty()
        ? Future.failedFuture(Unauthorized.invalidToken("the user no longer exists"))
        : users.memberships(userId).map(all -> new UserProfile(user.get(), all)));
  }

  /** A user and their memberships. */
  public record UserProfile(User user, List<Membership> memberships) {
  }

  private Future<SessionGrant> reissue(SessionRepository.LiveSession live, String refreshToken) {
    return users.memberships(live.userId()).compose(all -> {
      Membership m = all.stream().filter(x -> x.tenantId().equals(live.tenantId()) && x.usable()).findFirst()
          .orElse(null);
      if (m == null) {
        return end(List.of(live.id()), "membership ended")
            .compose(v -> Future.failedFuture(new Unauthorized("the membership of this session has ended")));
      }
      return assured(m, live.assurance())
          .map(a -> grant(live.userId(), m, all, live.id(), refreshToken, live.expiresAt(), a));
    });
  }

  private Future<SessionGrant> reissueWithNewRefresh(SessionRepository.LiveSession live) {
    String next = SecretTokens.next();
    return sessions.addRefresh(controlPlane.pool(), live.id(), live.expiresAt(), SecretTokens.hash(next))
        .compose(v -> reissue(live, next));
  }

  private Future<LoginResult> challenge(UUID userId, Optional<TenantId> tenant) {
    String ticket = SecretTokens.next();
    if (ThreadLocalRandom.current().nextInt(64) == 0) {
      mfa.purgeTickets(); // best effort: leftovers of abandoned logins
    }
    return mfa.issueTicket(SecretTokens.hash(ticket), userId, tenant, Instant.now().plus(TICKET_TTL))
        .map(v -> new MfaChallenge(ticket, TICKET_TTL.toSeconds()));
  }

  /** The assurance with its standing under the tenant's policy: pending when a required second factor is missing. */
  private Future<Assurance> assured(Membership active, Assurance assurance) {
    if (assurance.multiFactor()) {
      return Future.succeededFuture(assurance.pending(false));
    }
    return mfa.policy(active.tenantId()).map(policy -> assurance.pending(policy.requires(active.roles())));
  }

  private Future<SessionGrant> refuseRefresh(byte[] hash) {
    return sessions.lookup(hash).compose(known -> {
      if (known.isPresent() && known.get().used()) {
        return end(List.of(known.get().sessionId()), "refresh token reused")
            .compose(v -> Future.failedFuture(new Unauthorized(
                "this refresh token was already used; the session has been ended for safety")));
      }
      return Future.failedFuture(new Unauthorized("the refresh token is not valid"));
    });
  }

  private Future<SessionGrant> open(UUID userId, Membership active, List<Membership> all, Assurance proved,
                                     String device) {
    UUID sessionId = UuidV7.next();
    String refresh = SecretTokens.next();
    return mfa.sessionLength(active.tenantId()).compose(length -> {
      Instant expiresAt = Instant.now().plus(length.orElse(sessionTtl));
      return assured(active, proved).compose(assurance -> controlPlane.inTransaction(conn -> sessions.open(conn,
              sessionId, userId, active.tenantId(), expiresAt, assurance, SecretTokens.hash(refresh), device))
          .map(v -> grant(userId, active, all, sessionId, refresh, expiresAt, assurance)));
    });
  }

  private SessionGrant grant(UUID userId, Membership active, List<Membership> all, UUID sessionId, String refresh,
                             Instant expiresAt, Assurance assurance) {
    Duration accessTtl = accessTokens.ttlWithin(expiresAt);
    String access = accessTokens.issue(userId, active.tenantId(), active.roles(), active.patientId(), sessionId,
        assurance, accessTtl);
    long refreshTtl = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
    return new SessionGrant(access, accessTtl.toSeconds(), refresh, refreshTtl, active, all,
        assurance.mfaPending());
  }

  private Future<Void> end(List<UUID> sessionIds, String reason) {
    Future<Void> ended = Future.succeededFuture();
    for (UUID id : sessionIds) {
      ended = ended.compose(v -> sessions.end(id, reason));
    }
    return ended.compose(v -> revocations.endSessions(sessionIds));
  }

  private static Membership choose(List<Membership> all, Optional<TenantId> wanted) {
    if (wanted.isPresent()) {
      Membership m = all.stream().filter(x -> x.tenantId().equals(wanted.get())).findFirst()
          .orElseThrow(() -> new Forbidden("you are not a member of that tenant"));
      if (!m.tenantActive()) {
        throw new Forbidden(unavailable(m.tenantStatus()));
      }
      if (!m.active()) {
        throw new Forbidden("you are no longer a member of that tenant");
      }
      return m;
    }
    return all.stream().filter(Membership::usable).findFirst()
        .orElseThrow(() -> new Forbidden(all.stream().anyMatch(m -> m.active() && m.tenantStatus() == TenantStatus.PENDING)
            ? unavailable(TenantStatus.PENDING) : "you have no active membership in an active tenant"));
  }

  private static String unavailable(TenantStatus status) {
    return status == TenantStatus.PENDING ? "that organisation is awaiting the platform's approval"
        : "that tenant is suspended";
  }
}
