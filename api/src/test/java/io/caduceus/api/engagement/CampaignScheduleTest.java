package io.caduceus.api.engagement;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When campaigns run: cron in the campaign's own zone, always counted from now, never a backlog of missed runs. */
class CampaignScheduleTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void aWeeklyCronRunsAtNineInTheCampaignsZoneAcrossADaylightSavingChange() {
    CampaignSchedule mondays = CampaignSchedule.from(new JsonObject().put("kind", "cron").put("cron", "0 9 * * MON")
        .put("timeZone", "America/Chicago"), UTC);
    // Sunday 8 March 2026 is the change to daylight time in Chicago: 09:00 is 15:00 UTC before it, 14:00 after.
    assertThat(mondays.first(Instant.parse("2026-03-04T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-09T14:00:00Z"));
    assertThat(mondays.next(Instant.parse("2026-03-01T12:00:00Z"))).contains(Instant.parse("2026-03-02T15:00:00Z"));
  }

  @Test
  void aCampaignThatMissedAMonthOfRunsRunsNextFromNow() {
    CampaignSchedule daily = CampaignSchedule.from(new JsonObject().put("kind", "cron").put("cron", "30 8 * * *"), UTC);
    assertThat(daily.next(Instant.parse("2026-05-31T10:00:00Z"))).contains(Instant.parse("2026-06-01T08:30:00Z"));
    CampaignSchedule once = CampaignSchedule.from(new JsonObject().put("kind", "once")
        .put("at", "2026-05-01T10:00:00Z"), UTC);
    assertThat(once.next(Instant.parse("2026-05-01T10:00:01Z"))).isEmpty();
  }

  @Test
  void aBrokenCronIsRefusedNamingTheField() {
    assertThatThrownBy(() -> CampaignSchedule.from(new JsonObject().put("kind", "cron").put("cron", "0 25 * * *"), UTC))
        .isInstanceOf(Invalid.class).hasMessageContaining("cron");
  }
}
