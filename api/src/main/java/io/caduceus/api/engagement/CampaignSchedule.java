package io.caduceus.api.engagement;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a campaign runs: once at an instant, or on a five-field cron expression in a time zone. The next run is
 * always computed from now, so a campaign that missed runs while no node was up runs once, not once per miss.
 */
record CampaignSchedule(String kind, Instant at, String cron, ZoneId zone) {

  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Parses and checks the contract's {@code CampaignSchedule}. */
  static CampaignSchedule from(JsonObject json, ZoneId tenantZone) {
    String kind = json.getString("kind");
    ZoneId zone = json.getString("timeZone") == null ? tenantZone : PreferenceService.zone(json.getString("timeZone"));
    if ("once".equals(kind)) {
      if (json.getString("at") == null) {
        throw new Invalid("/schedule/at", "is required for a one-off campaign");
      }
      return new CampaignSchedule(kind, Instant.parse(json.getString("at")), null, zone);
    }
    String cron = json.getString("cron");
    if (cron == null) {
      throw new Invalid("/schedule/cron", "is required for a recurring campaign");
    }
    try {
      UNIX.parse(cron).validate();
    } catch (IllegalArgumentException e) {
      throw new Invalid("/schedule/cron", "is not a five-field cron expression");
    }
    return new CampaignSchedule(kind, null, cron, zone);
  }

  /** Reads a stored schedule. */
  static CampaignSchedule fromJson(JsonObject json) {
    return new CampaignSchedule(json.getString("kind"), json.getString("at") == null ? null
        : Instant.parse(json.getString("at")), json.getString("cron"), ZoneId.of(json.getString("timeZone")));
  }

  /** As stored and shown: {@code at} only for a one-off, {@code cron} only for a recurring one (never null). */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind).put("timeZone", zone.getId());
    if (at != null) {
      json.put("at", at.toString());
    }
    if (cron != null) {
      json.put("cron", cron);
    }
    return json;
  }

  /** The first run: the instant of a one-off campaign, or the cron's next time after {@code now}. */
  Instant first(Instant now) {
    return at != null ? at : next(now).orElseThrow(() -> new Invalid("/schedule/cron", "never fires"));
  }

  /** The run after one at {@code now}: none for a one-off campaign. */
  Optional<Instant> next(Instant now) {
    if (cron == null) {
      return Optional.empty();
    }
    return ExecutionTime.forCron(UNIX.parse(cron)).nextExecution(ZonedDateTime.ofInstant(now, zone))
        .map(ZonedDateTime::toInstant);
  }
}
