package io.caduceus.api.practitioner;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.api.practitioner.PractitionerRepository.Values;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;

/** Staff profiles: tenant admins manage them; every staff role and patients (to book) can read them. */
public final class PractitionerService {

  private final TenantDb db;
  private final UserRepository users;
  private final Cursors cursors;
  private final PhoneNumbers phones;
  private final PractitionerRepository repository = new PractitionerRepository();

  public PractitionerService(TenantDb db, UserRepository users, Cursors cursors, PhoneNumbers phones) {
    this.db = db;
    this.users = users;
    this.cursors = cursors;
    this.phones = phones;
  }

  /** Creates a profile (its phone in E.164); a linked user must be an active member of this tenant. */
  public Future<Practitioner> create(TenantContext ctx, JsonObject sent) {
    UUID userId = sent.getString("userId") == null ? null : UUID.fromString(sent.getString("userId"));
    return Access.check(ctx, Permission.PRACTITIONER_MANAGE)
        .compose(v -> userId == null ? Future.succeededFuture() : users.member(ctx.tenantId(), userId)
            .compose(m -> m.filter(x -> "active".equals(x.status())).isPresent() ? Future.succeededFuture()
                : Future.failedFuture(new NotFound("no such member of this tenant"))))
        .compose(v -> phones.normalised(ctx.tenantId(), sent, "phone", "/phone"))
        .compose(body -> db.inTenant(ctx, conn -> repository.insert(conn, ctx, userId, sent(body))))
        .recover(failure -> ConstraintViolation.of(failure, "practitioner_user_unique")
            ? Future.failedFuture(new Conflict("this user already has a practitioner profile"))
            : Future.failedFuture(failure));
  }

  /** One profile. */
  public Future<Practitioner> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PRACTITIONER_READ)
        .compose(v -> db.once(ctx, conn -> repository.find(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such practitioner")));
  }

  /** Changes the fields sent (a phone in E.164) if {@code version} is current. */
  public Future<Practitioner> update(TenantContext ctx, UUID id, int version, JsonObject sent) {
    return Access.check(ctx, Permission.PRACTITIONER_MANAGE)
        .compose(v -> phones.normalised(ctx.tenantId(), sent, "phone", "/phone"))
        .compose(body -> db.inTenant(ctx, conn -> repository.find(conn, id).compose(found -> {
          Practitioner p = found.orElseThrow(() -> new NotFound("no such practitioner"));
          if (p.version() != version) {
            throw new PreconditionFailed("the practitioner has changed since you read it");
          }
          JsonObject name = body.getJsonObject("name");
          return repository.update(conn, id, version, new Values(
              name != null ? name.getString("family") : p.familyName(),
              name != null ? name.getString("given") : p.givenName(),
              body.getString("specialty", p.specialty()), body.getString("npi", p.npi()),
              body.getString("email", p.email()), body.getString("phone", p.phone())),
              body.getBoolean("active", p.active()));
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the practitioner has changed")));
  }

  /** The facilities a practitioner serves. */
  public Future<PractitionerFacilities> facilities(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PRACTITIONER_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.find(conn, id).compose(found -> {
          found.orElseThrow(() -> new NotFound("no such practitioner"));
          return repository.facilities(conn, id);
        })))
        .map(ids -> new PractitionerFacilities(id, ids));
  }

  /**
   * Makes the facilities sent the ones the practitioner serves (a visit there may then be booked with them); each
   * must be a facility of the tenant (404 otherwise, as for another tenant's).
   */
  public Future<PractitionerFacilities> setFacilities(TenantContext ctx, UUID id, JsonObject sent) {
    UUID[] facilityIds = sent.getJsonArray("facilityIds").stream().map(f -> UUID.fromString((String) f)).distinct()
        .toArray(UUID[]::new);
    ctx.audit().about(id);
    return Access.check(ctx, Permission.PRACTITIONER_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.findForUpdate(conn, id).compose(found -> {
          found.orElseThrow(() -> new NotFound("no such practitioner"));
          return repository.facilitiesFound(conn, facilityIds);
        }).compose(count -> count == facilityIds.length ? repository.serve(conn, ctx, id, facilityIds)
            : Future.failedFuture(new NotFound("no such facility")))
            .compose(done -> repository.facilities(conn, id))))
        .map(ids -> new PractitionerFacilities(id, ids));
  }

  /** One page of profiles, by family name. */
  public Future<Page<Practitioner>> list(TenantContext ctx, Boolean active, int limit, String cursor) {
    String filters = String.valueOf(active);
    return Access.check(ctx, Permission.PRACTITIONER_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "practitioners", filters, cursor);
      return db.once(ctx, conn -> repository.list(conn, active, after == null ? null : after.getString("k"),
          after == null ? null : UUID.fromString(after.getString("id")), limit + 1)).map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "practitioners", filters,
          new JsonObject().put("k", last.familyName().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  /** One page of a FHIR search, by family name; the same permission as the listing. */
  public Future<Page<Practitioner>> search(TenantContext ctx, PractitionerSearch q, String cursor) {
    return Access.check(ctx, Permission.PRACTITIONER_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "practitioners", q.fingerprint(), cursor);
      return db.once(ctx, conn -> repository.search(conn, q, after == null ? null : after.getString("k"),
          after == null ? null : UUID.fromString(after.getString("id")), q.limit() + 1))
          .map(found -> Page.of(found, q.limit(), last -> cursors.seal(ctx, "practitioners", q.fingerprint(),
              new JsonObject().put("k", last.familyName().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  /** How many practitioners a FHIR search matches (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, PractitionerSearch q) {
    return Access.check(ctx, Permission.PRACTITIONER_READ)
        .compose(v -> db.once(ctx, conn -> repository.count(conn, q)));
  }

  private static Values sent(JsonObject body) {
    JsonObject name = body.getJsonObject("name");
    return new Values(name.getString("family"), name.getString("given"), body.getString("specialty"),
        body.getString("npi"), body.getString("email"), body.getString("phone"));
  }
}
