package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A patient's choices: the order channels are tried in, the channels and categories opted out of, their own time
 * zone and language, and whether SMS was stopped by an inbound STOP.
 */
public record Preference(UUID patientId, List<Channel> channelOrder, Set<Channel> optedOutChannels,
                         Set<Category> optedOutCategories, ZoneId zone, String locale, Instant smsStoppedAt,
                         int version) {

  /** The order channels are tried in when a patient has not chosen one. */
  public static final List<Channel> DEFAULT_ORDER = List.of(Channel.PUSH, Channel.SMS, Channel.EMAIL);

  /** The choices of a patient who has made none. */
  public static Preference defaults(UUID patientId) {
    return new Preference(patientId, DEFAULT_ORDER, EnumSet.noneOf(Channel.class), EnumSet.noneOf(Category.class),
        null, null, null, 0);
  }

  /** Whether {@code channel} may be used at all (not opted out, SMS not stopped). */
  public boolean permits(Channel channel) {
    return !optedOutChannels.contains(channel) && !(channel == Channel.SMS && smsStoppedAt != null);
  }

  /** Maps a row of {@code notification_preference}. */
  public static Preference fromRow(Row row) {
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    Arrays.stream(row.getArrayOfStrings("opted_out_channels")).map(Channel::fromWire).forEach(channels::add);
    Set<Category> categories = EnumSet.noneOf(Category.class);
    Arrays.stream(row.getArrayOfStrings("opted_out_categories")).map(Category::fromWire).forEach(categories::add);
    String zone = row.getString("time_zone");
    return new Preference(row.getUUID("patient_id"),
        Arrays.stream(row.getArrayOfStrings("channel_order")).map(Channel::fromWire).toList(), channels, categories,
        zone == null ? null : ZoneId.of(zone), row.getString("locale"),
        row.getOffsetDateTime("sms_stopped_at") == null ? null : row.getOffsetDateTime("sms_stopped_at").toInstant(),
        row.getInteger("version"));
  }
}
