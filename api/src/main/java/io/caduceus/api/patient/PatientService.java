package io.caduceus.api.patient;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.error.RowSecurity;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.organisation.GroupsInForce;
import io.caduceus.api.organisation.PatientFacilityService;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.paging.Page;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules of patient records: who may create, read, change and delete them, which sections each role sees
 * and may change, and optimistic concurrency. Each operation's audit record is declared in the contract; the
 * service names what only it knows (a new patient's id, the patients a search returned).
 */
public final class PatientService {

  private static final String MRN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final Cursors cursors;
  private final PhoneNumbers phones;
  private final PatientRepository repo = new PatientRepository();
  private final GroupsInForce groups;
  private final PatientFacilityService registrations;

  public PatientService(TenantDb db, TenantKeyring keyring, Cursors cursors, PhoneNumbers phones) {
    this.db = db;
    this.keyring = keyring;
    this.cursors = cursors;
    this.phones = phones;
    this.groups = new GroupsInForce(db);
    this.registrations = new PatientFacilityService(db, cursors);
  }

  /** Registers a patient; every section sent needs its write permission. */
  public Future<ShownPatient> create(TenantContext ctx, JsonObject body) {
    return create(ctx, body, null);
  }

  /**
   * {@link #create(TenantContext, JsonObject)} with the new patient's facility read already ({@link #facilityOf}
   * issued on the same joined context), or null to read it here.
   */
  public Future<ShownPatient> create(TenantContext ctx, JsonObject body, Future<Optional<UUID>> facilityRead) {
    UUID id = UuidV7.next();
    ctx.audit().about(id).patient(id);
    String named = body.getString("facilityId");
    return Future.<PatientDraft>future(p -> p.complete(PatientDraft.from(body)))
        .compose(sent -> Access.check(ctx, Permission.PATIENT_CREATE).compose(v -> mayWrite(ctx, sent))
            .compose(v -> withE164Phone(ctx, sent)))
        .compose(draft -> keyring.keys(ctx.tenantId()).compose(keys -> db.inTenant(ctx, conn -> (facilityRead != null
            ? facilityRead : facilityOf(conn, ctx, named)).compose(facility -> {
              PatientValues values = PatientValues.blank(newMrn()).with(draft, keys, id);
              // The facility first: under the scoped access policy the new row is read back through it.
              return facility.map(f -> registrations.register(conn, ctx, id, f)).orElse(Future.succeededFuture())
                  .compose(v -> repo.insert(conn, ctx, id, values))
                  .map(p -> PatientView.of(p, ctx, keys))
                  .map(json -> new ShownPatient(id, json.getInteger("version"), json))
                  .recover(failure -> unregistered(failure, facility));
            }))))
        .recover(PatientService::mrnConflict);
  }

  /**
   * The facility a new patient of {@code body} would be registered at, read in the context's transaction. It only
   * reads, so it may be issued ahead of {@link #create(TenantContext, JsonObject, Future)} (behind an idempotency
   * claim, in the same flush) and dropped if the create does not run.
   */
  public Future<Optional<UUID>> facilityOf(TenantContext ctx, JsonObject body) {
    return db.inTenant(ctx, conn -> facilityOf(conn, ctx, body.getString("facilityId")));
  }

  /**
   * The facility a new patient is registered at: the one named, else the creator's only facility in force (a
   * member of several names one), else none (a patient registering themself, a member of no facility).
   */
  private Future<Optional<UUID>> facilityOf(SqlConnection conn, TenantContext ctx, String named) {
    if (named != null) {
      return Future.future(p -> p.complete(Optional.of(UUID.fromString(named))));
    }
    if (ctx.actsAsPatient()) {
      return Future.succeededFuture(Optional.empty());
    }
    return groups.of(conn, ctx).map(g -> g.facilityIds().size() == 1 ? Optional.of(g.facilityIds().iterator().next())
        : Optional.<UUID>empty());
  }

  private static <T> Future<T> unregistered(Throwable failure, Optional<UUID> facility) {
    if (ConstraintViolation.of(failure, "patient_facility_tenant_id_facility_id_fkey")) {
      return Future.failedFuture(new Unprocessable("facilityId names no facility of this tenant"));
    }
    if (facility.isEmpty() && RowSecurity.refused(failure)) {
      return Future.failedFuture(new Unprocessable("the tenant's access policy confines you to your facilities:"
          + " name the facility the patient is registered at (facilityId)"));
    }
    return Future.failedFuture(failure);
  }

  /** One patient, projected for the caller. */
  public Future<ShownPatient> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.once(ctx, conn -> repo.find(conn, id)).map(found -> show(ctx, keys, found)));
  }

  /**
   * Versions of a live patient, newest first, each projected for the caller exactly as {@link #get} projects the
   * current one (a receptionist's earlier version has no clinical section either); NotFound as {@link #get}.
   */
  public Future<List<ShownPatient>> versions(TenantContext ctx, UUID id, VersionRange range) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> db.once(ctx, conn -> repo.version(conn, id))
            .compose(live -> live.isPresent() ? db.once(ctx, conn -> repo.versions(conn, id, range))
                : Future.failedFuture(new NotFound("no such patient")))
            .map(found -> found.stream().map(p -> show(ctx, keys, Optional.of(p))).toList()));
  }

  /**
   * The patient whose clinical allergies hold the allergy of this id (see {@code PatientSql.ALLERGY_OWNER}); the
   * caller then reads the patient, projected for their role, with {@link #get}.
   */
  public Future<UUID> allergyOwner(TenantContext ctx, UUID allergyId) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.once(ctx, conn -> repo.allergyOwner(conn, allergyId)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such allergy")));
  }

  /** One page of matching patients, projected for the caller. */
  public Future<Page<JsonObject>> search(TenantContext ctx, PatientSearch q, String cursor) {
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> keyring.keys(ctx.tenantId()))
        .compose(keys -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "patients", q.fingerprint(), cursor);
          return db.once(ctx, conn -> repo.search(conn, q, after == null ? null : after.getString("k"),
                  after == null ? null : UUID.fromString(after.getString("id")), q.limit() + 1))
              .map(found -> page(ctx, keys, q, found));
        })
        .onSuccess(page -> ctx.audit().patients(page.items().stream()
            .map(p -> UUID.fromString(p.getString("id"))).toList()));
  }

  /** How many patients match (FHIR's {@code _summary=count}); the same permission as a search, no PHI returned. */
  public Future<Integer> count(TenantContext ctx, PatientSearch q) {
    return Access.check(ctx, Permission.PATIENT_READ).compose(v -> db.once(ctx, conn -> repo.count(conn, q)));
  }

  /** Changes the sections sent, if the caller may write each one and {@code version} is current. */
  public Future<ShownPatient> update(TenantContext ctx, UUID id, int version, JsonObject body) {
    return Future.<PatientDraft>future(p -> p.complete(PatientDraft.from(body)))
        .compose(sent -> mayWrite(ctx, sent).compose(v -> withE164Phone(ctx, sent)))
        .compose(draft -> keyring.keys(ctx.tenantId())
            .compose(keys -> db.inTenant(ctx, conn -> repo.findForUpdate(conn, id).compose(current -> {
              if (current.isEmpty()) {
                return Future.failedFuture(new NotFound("no such patient"));
              }
              if (current.get().version() != version) {
                return Future.failedFuture(new PreconditionFailed("the patient has changed since you read it"));
              }
              PatientValues values = current.get().values().with(draft, keys, id);
              return repo.update(conn, ctx, id, version, values).map(updated -> show(ctx, keys, updated));
            }))))
        .recover(PatientService::mrnConflict);
  }

  /** Marks a patient entered in error; it stays in the database for retention but leaves every read. */
  public Future<Void> delete(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PATIENT_DELETE)
        .compose(v -> db.inTenant(ctx, conn -> repo.delete(conn, ctx, id).compose(deleted -> deleted
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such patient")))));
  }

  /**
   * The email on a live patient's record, to check that an account invitation goes to the patient themself; the
   * address is compared, never returned to the caller.
   */
  public Future<Optional<String>> emailOnFile(TenantContext ctx, UUID id) {
    return db.once(ctx, conn -> repo.find(conn, id)).map(found -> {
      JsonObject contact = found.orElseThrow(() -> new NotFound("no such patient")).values().contact();
      return Optional.ofNullable(contact == null ? null : contact.getString("email"));
    });
  }

  /** Whether a live patient with this id exists in the caller's tenant (no PHI is read or returned). */
  public Future<Boolean> exists(TenantContext ctx, UUID id) {
    return db.once(ctx, conn -> repo.version(conn, id)).map(Optional::isPresent);
  }

  private Page<JsonObject> page(TenantContext ctx, TenantKeys keys, PatientSearch q, List<Patient> found) {
    return Page.of(found, q.limit(), last -> cursors.seal(ctx, "patients", q.fingerprint(), new JsonObject()
            .put("k", last.values().familyName().toLowerCase(Locale.ROOT)).put("id", last.id().toString())))
        .map(p -> PatientView.of(p, ctx, keys));
  }

  private static ShownPatient show(TenantContext ctx, TenantKeys keys, Optional<Patient> found) {
    Patient p = found.orElseThrow(() -> new NotFound("no such patient"));
    return new ShownPatient(p.id(), p.version(), PatientView.of(p, ctx, keys));
  }

  /** The draft with its contact phone in E.164 (read in the tenant's country when written without a code). */
  private Future<PatientDraft> withE164Phone(TenantContext ctx, PatientDraft draft) {
    return phones.normalised(ctx.tenantId(), draft.contact(), "phone", "/contact/phone").map(draft::withContact);
  }

  private static Future<Void> mayWrite(TenantContext ctx, PatientDraft draft) {
    for (PatientSection section : draft.sections()) {
      if (!Access.has(ctx, section.write)) {
        return Future.failedFuture(new Forbidden("your role may not change the "
            + section.name().toLowerCase() + " of a patient"));
      }
    }
    return Future.succeededFuture();
  }

  private static <T> Future<T> mrnConflict(Throwable failure) {
    if (ConstraintViolation.of(failure, "patient_mrn_unique")) {
      return Future.failedFuture(new Conflict("another patient of this tenant has this MRN"));
    }
    return Future.failedFuture(failure);
  }

  private static String newMrn() {
    StringBuilder mrn = new StringBuilder("P");
    for (int i = 0; i < 9; i++) {
      mrn.append(MRN_ALPHABET.charAt(RANDOM.nextInt(MRN_ALPHABET.length())));
    }
    return mrn.toString();
  }
}
