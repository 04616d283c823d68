package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The delivery rules, applied when a message falls due: the recipient still exists, the patient has not opted out
 * of the category, quiet hours and the daily cap (unless the category is critical), then the first channel of the
 * patient's order that the topic goes out on, is permitted, has an address and has not failed for good. Pure: all
 * inputs are passed in.
 */
public final class DeliveryPolicy {

  /** The variable that names the time zone of the facility a visit is held at (an IANA zone). */
  public static final String APPOINTMENT_TIME_ZONE = "appointmentTimeZone";

  /** What the dispatcher knows about a message's recipient when it falls due. */
  public record Circumstances(Recipient recipient, Preference preference, int devices, int sentToday) {
  }

  /** Decides what to do with {@code message} at {@code now}. */
  public Decision decide(Message message, Circumstances about, EngagementSettings settings, Instant now) {
    if (about.recipient() == null) {
      return new Decision.Suppress("the recipient no longer exists");
    }
    if (message.expiresAt() != null && !now.isBefore(message.expiresAt())) {
      return new Decision.Expire("its time has passed");
    }
    Category category = message.topic().category();
    Preference pref = about.preference();
    if (about.recipient().kind() == RecipientKind.PATIENT && category.optional()
        && pref.optedOutCategories().contains(category)) {
      return new Decision.Suppress("opted out of " + category.wire());
    }
    ZoneId zone = zone(pref, about.recipient(), settings, message);
    boolean critical = message.critical() || settings.isCritical(category);
    if (!critical) {
      Instant quietEnd = quietUntil(now, zone, settings.quietStart(), settings.quietEnd());
      if (quietEnd != null) {
        return tooLate(message, quietEnd) ? new Decision.Expire("quiet hours last past its time")
            : new Decision.Defer(quietEnd, "quiet hours");
      }
      if (about.sentToday() >= settings.dailyCap()) {
        Instant tomorrow = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        return tooLate(message, tomorrow) ? new Decision.Expire("the daily cap is reached until past its time")
            : new Decision.Defer(tomorrow, "daily cap");
      }
    }
    String locale = pref.locale() != null ? pref.locale()
        : about.recipient().locale() != null ? about.recipient().locale() : settings.defaultLocale();
    for (Channel channel : order(message, about)) {
      if (message.topic().channels().contains(channel) && pref.permits(channel)
          && !message.goneChannels().contains(channel) && reachable(channel, about)) {
        return new Decision.Send(channel, critical, locale, zone);
      }
    }
    return message.goneChannels().isEmpty() ? new Decision.Suppress("no permitted channel reaches the recipient")
        : new Decision.Fail("every usable channel failed permanently");
  }

  /** The end of the quiet hours {@code now} falls in, or null outside them. */
  static Instant quietUntil(Instant now, ZoneId zone, LocalTime start, LocalTime end) {
    if (start.equals(end)) {
      return null;
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime time = local.toLocalTime();
    boolean quiet = start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
        : !time.isBefore(start) || time.isBefore(end);
    if (!quiet) {
      return null;
    }
    LocalDate day = time.isBefore(end) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    return ZonedDateTime.of(day, end, zone).toInstant();
  }

  /** The recipient's time zone: their own choice, else what the tenant knows of them, else the tenant's. */
  public static ZoneId zone(Preference preference, Recipient recipient, EngagementSettings settings) {
    if (preference.zone() != null) {
      return preference.zone();
    }
    return recipient != null && recipient.zone() != null ? recipient.zone() : settings.zone();
  }

  /**
   * The zone {@code message}'s quiet hours and daily cap are kept in: the recipient's own, else (a message about a
   * visit at a facility with a zone of its own) the facility's, else the tenant's.
   */
  public static ZoneId zone(Preference preference, Recipient recipient, EngagementSettings settings, Message message) {
    if (preference.zone() != null || recipient != null && recipient.zone() != null) {
      return zone(preference, recipient, settings);
    }
    ZoneId visit = appointmentZone(message);
    return visit != null ? visit : settings.zone();
  }

  /**
   * The zone of the visit {@code message} is about, when it is held at a facility with a zone of its own (its
   * {@code appointmentTimeZone}); null otherwise. A visit's time is told in it whoever reads it.
   */
  public static ZoneId appointmentZone(Message message) {
    String zone = message.variables() == null ? null : message.variables().getString(APPOINTMENT_TIME_ZONE);
    return zone == null ? null : ZoneId.of(zone);
  }

  private static boolean tooLate(Message message, Instant at) {
    return message.expiresAt() != null && !at.isBefore(message.expiresAt());
  }

  /**
   * The channels to try, in order: email for staff; a topic's own channels when its category cannot be opted out
   * of (the patient's order is how they like to be reminded, not whether they get the account they asked for);
   * else the patient's order.
   */
  private static List<Channel> order(Message message, Circumstances about) {
    if (about.recipient().kind() == RecipientKind.STAFF) {
      return List.of(Channel.EMAIL);
    }
    return message.topic().category().optional() ? about.preference().channelOrder()
        : List.copyOf(message.topic().channels());
  }

  private static boolean reachable(Channel channel, Circumstances about) {
    return switch (channel) {
      case PUSH -> about.devices() > 0;
      case SMS -> about.recipient().phone() != null && !about.recipient().phone().isBlank();
      case EMAIL -> about.recipient().email() != null && !about.recipient().email().isBlank();
    };
  }
}
