package io.caduceus.api.appointment;

import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * How a visit is booked, from the "scheduling" configuration in effect for its practitioner (the user level, when the
 * practitioner is a user) at its facility, read from the node's view (no I/O): the length of a visit that names none,
 * the buffer kept free after it, the grid its start must lie on (only when some level sets one, so tenants that never
 * configured scheduling book as before), and how many visits of one practitioner may overlap.
 */
record SchedulingRules(Duration defaultDuration, Duration buffer, Integer slotIncrementMinutes, int maxPerSlot) {

  /** The configuration namespace booking reads. */
  static final String NAMESPACE = "scheduling";

  /** The rules for a visit with {@code practitionerUser} (null: not a user) at {@code facility} (null: none). */
  static SchedulingRules of(EffectiveConfig config, TenantContext ctx, UUID facility, UUID practitionerUser) {
    JsonObject keys = config.of(NAMESPACE, ctx.tenantId(), ctx.region(), facility, practitionerUser);
    JsonObject set = config.setFor(NAMESPACE, ctx.tenantId(), ctx.region(), facility, practitionerUser);
    JsonObject overbooking = keys.getJsonObject("overbooking", new JsonObject());
    int maxPerSlot = overbooking.getBoolean("enabled", false) ? overbooking.getInteger("maxPerSlot", 1) : 1;
    return new SchedulingRules(Duration.ofMinutes(keys.getInteger("defaultDurationMinutes")),
        Duration.ofMinutes(keys.getInteger("bufferMinutes")), set.getInteger("slotIncrementMinutes"), maxPerSlot);
  }

  /** {@code slot} with its default length when it names no end, once its start is on the grid in {@code zone}. */
  Slot applied(Slot slot, boolean startChosen, ZoneId zone) {
    if (startChosen && slotIncrementMinutes != null) {
      var local = slot.start().atZone(zone);
      int minutes = local.getHour() * 60 + local.getMinute();
      if (minutes % slotIncrementMinutes != 0 || local.getSecond() != 0 || local.getNano() != 0) {
        throw new Unprocessable("/start", "must lie on the " + slotIncrementMinutes + "-minute grid"
            + " (scheduling.slotIncrementMinutes) in the time zone of the visit's facility or tenant");
      }
    }
    return slot.end() == null ? slot.lasting(defaultDuration) : slot;
  }

  /** Until when a visit ending at {@code end} holds its practitioner: its end and the buffer after it. */
  Instant heldUntil(Instant end) {
    return end.plus(buffer);
  }
}
