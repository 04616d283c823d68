package io.caduceus.notifications.engage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalTime;
import java.util.Arrays;

/** A tenant's delivery rules as stored (one row per tenant, or none for the defaults). */
public final class Settings {

  private static final String FIND = "SELECT * FROM engagement_settings";
  private static final String PUT = """
      INSERT INTO engagement_settings (tenant_id, time_zone, quiet_start, quiet_end, daily_cap,
        critical_categories, reminder_offsets, follow_up_days, refill_lead_days, survey_delay_hours,
        default_locale, channel_variables)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (tenant_id) DO UPDATE SET time_zone = $1, quiet_start = $2, quiet_end = $3, daily_cap = $4,
        critical_categories = $5, reminder_offsets = $6, follow_up_days = $7, refill_lead_days = $8,
        survey_delay_hours = $9, default_locale = $10, channel_variables = $11,
        version = engagement_settings.version + 1, updated_at = now()
      RETURNING *""";

  /** The tenant's rules, or the defaults. */
  public Future<EngagementSettings> find(SqlConnection conn) {
    return conn.query(FIND).execute().map(rows -> rows.size() == 0 ? EngagementSettings.DEFAULTS
        : EngagementSettings.fromRow(rows.iterator().next()));
  }

  /** Replaces the tenant's rules; returns them as stored, with the new version. */
  public Future<EngagementSettings> put(SqlConnection conn, EngagementSettings s) {
    return conn.preparedQuery(PUT).execute(Tuple.from(Arrays.asList(s.zone().getId(), time(s.quietStart()),
            time(s.quietEnd()), s.dailyCap(), s.critical().stream().map(Category::wire).toArray(String[]::new),
            s.reminderOffsetsMinutes().toArray(Integer[]::new), s.followUpDays(), s.refillLeadDays(),
            s.surveyDelayHours(), s.defaultLocale(), s.channelVariablesJson())))
        .map(rows -> EngagementSettings.fromRow(rows.iterator().next()));
  }

  private static LocalTime time(LocalTime t) {
    return t.withNano(0);
  }
}
