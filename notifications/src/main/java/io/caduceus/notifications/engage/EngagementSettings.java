package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's delivery rules: its time zone and quiet hours, the daily cap per patient, which categories are
 * critical (they bypass quiet hours and the cap), the reminder schedule, and which variable classes each channel
 * may carry.
 */
public record EngagementSettings(
    ZoneId zone,
    LocalTime quietStart,
    LocalTime quietEnd,
    int dailyCap,
    Set<Category> critical,
    List<Integer> reminderOffsetsMinutes,
    Integer followUpDays,
    Integer refillLeadDays,
    Integer surveyDelayHours,
    String defaultLocale,
    Map<Channel, Set<Sensitivity>> channelVariables,
    int version) {

  /** The rules of a tenant that has not set its own. */
  public static final EngagementSettings DEFAULTS = new EngagementSettings(ZoneId.of("UTC"), LocalTime.of(21, 0),
      LocalTime.of(8, 0), 3, EnumSet.of(Category.CLINICAL_ALERTS), List.of(1440, 120), null, 3, null, "en",
      Map.of(Channel.PUSH, EnumSet.of(Sensitivity.NONE, Sensitivity.IDENTITY),
          Channel.SMS, EnumSet.of(Sensitivity.NONE, Sensitivity.IDENTITY, Sensitivity.SCHEDULE),
          Channel.EMAIL, EnumSet.of(Sensitivity.NONE, Sensitivity.IDENTITY, Sensitivity.SCHEDULE, Sensitivity.BILLING,
              Sensitivity.CLINICAL)), 0);

  public EngagementSettings {
    critical = critical.isEmpty() ? EnumSet.noneOf(Category.class) : EnumSet.copyOf(critical);
    reminderOffsetsMinutes = reminderOffsetsMinutes.stream().sorted((a, b) -> b - a).toList();
    Map<Channel, Set<Sensitivity>> allowed = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      Set<Sensitivity> classes = EnumSet.noneOf(Sensitivity.class);
      classes.addAll(channelVariables.getOrDefault(channel, Set.of()));
      if (channel != Channel.EMAIL) {
        classes.remove(Sensitivity.CLINICAL);
      }
      allowed.put(channel, classes);
    }
    channelVariables = Map.copyOf(allowed);
  }

  /** Whether messages of {@code category} bypass quiet hours and the daily cap. */
  public boolean isCritical(Category category) {
    return critical.contains(category);
  }

  /** Whether a template on {@code channel} may use {@code variable}. */
  public boolean allows(Channel channel, Variable variable) {
    return channelVariables.get(channel).contains(variable.sensitivity());
  }

  /** Maps a row of {@code engagement_settings}. */
  public static EngagementSettings fromRow(Row row) {
    List<Category> critical = Arrays.stream(row.getArrayOfStrings("critical_categories"))
        .map(Category::fromWire).toList();
    JsonObject variables = row.getJsonObject("channel_variables");
    Map<Channel, Set<Sensitivity>> allowed = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      Set<Sensitivity> classes = EnumSet.noneOf(Sensitivity.class);
      variables.getJsonArray(channel.wire(), new JsonArray())
          .forEach(name -> classes.add(Sensitivity.fromWire((String) name)));
      allowed.put(channel, classes);
    }
    return new EngagementSettings(ZoneId.of(row.getString("time_zone")), row.getLocalTime("quiet_start"),
        row.getLocalTime("quiet_end"), row.getInteger("daily_cap"), critical.isEmpty()
            ? EnumSet.noneOf(Category.class) : EnumSet.copyOf(critical),
        Arrays.asList(row.getArrayOfIntegers("reminder_offsets")), row.getInteger("follow_up_days"),
        row.getInteger("refill_lead_days"), row.getInteger("survey_delay_hours"), row.getString("default_locale"),
        allowed, row.getInteger("version"));
  }

  /** The channel variable classes as stored: {"push": ["none", "identity"], …}. */
  public JsonObject channelVariablesJson() {
    JsonObject json = new JsonObject();
    channelVariables.forEach((channel, classes) -> {
      List<String> names = new ArrayList<>();
      for (Sensitivity s : Sensitivity.values()) {
        if (classes.contains(s)) {
          names.add(s.wire());
        }
      }
      json.put(channel.wire(), new JsonArray(names));
    });
    return json;
  }
}
