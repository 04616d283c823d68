package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Category;
import io.caduceus.notifications.engage.Preference;
import io.caduceus.notifications.engage.Preferences;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Patients' delivery choices: the patient sets their own in the app; a receptionist or admin sets them on the
 * patient's behalf (a call asking to stop texts). Staff reading them need contact access.
 */
public final class PreferenceService {

  private final TenantDb db;
  private final Preferences preferences;
  private final EngagementPatientRepository patients = new EngagementPatientRepository();

  public PreferenceService(TenantDb db, Preferences preferences) {
    this.db = db;
    this.preferences = preferences;
  }

  /** The patient's choices, read by staff or by the patient themself ({@code patient} null: the caller). */
  public Future<Preference> get(TenantContext ctx, UUID patient) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().about(who).patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.PATIENT_CONTACT_READ)
        .compose(v -> db.inTenant(ctx, conn -> exists(conn, who).compose(x -> preferences.find(conn, who))));
  }

  /** Replaces the patient's choices ({@code patient} null: the caller's own). */
  public Future<Preference> put(TenantContext ctx, UUID patient, JsonObject body) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().about(who).patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.NOTIFICATION_PREFERENCES_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> exists(conn, who)
            .compose(x -> preferences.find(conn, who))
            .compose(current -> preferences.put(conn, parse(who, body, current)))));
  }

  private Future<Void> exists(SqlConnection conn, UUID patient) {
    return patients.exists(conn, patient)
        .compose(found -> found ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such patient")));
  }

  private static UUID self(TenantContext ctx) {
    return ctx.patientId().orElseThrow(() -> new Forbidden("only a patient has their own preferences"));
  }

  private static Preference parse(UUID patient, JsonObject body, Preference current) {
    List<Channel> order = new ArrayList<>();
    JsonArray wanted = body.getJsonArray("channelOrder");
    for (int i = 0; i < wanted.size(); i++) {
      Channel c = Channel.fromWire(wanted.getString(i));
      if (order.contains(c)) {
        throw new Invalid("/channelOrder/" + i, "names a channel twice");
      }
      order.add(c);
    }
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    body.getJsonArray("optedOutChannels", new JsonArray()).forEach(c -> channels.add(Channel.fromWire((String) c)));
    Set<Category> categories = EnumSet.noneOf(Category.class);
    body.getJsonArray("optedOutCategories", new JsonArray())
        .forEach(c -> categories.add(Category.fromWire((String) c)));
    return new Preference(patient, order, channels, categories, zone(body.getString("timeZone")),
        locale(body.getString("locale")), current.smsStoppedAt(), current.version());
  }

  static ZoneId zone(String id) {
    if (id == null) {
      return null;
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new Invalid("/timeZone", "is not an IANA time zone");
    }
  }

  static String locale(String tag) {
    if (tag == null) {
      return null;
    }
    try {
      return new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
    } catch (IllformedLocaleException e) {
      throw new Invalid("/locale", "is not a BCP 47 language tag");
    }
  }
}
