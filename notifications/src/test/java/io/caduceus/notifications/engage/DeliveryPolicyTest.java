package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery rules, decided at fixed instants for a patient in Chicago while the tenant (and the server) keep
 * UTC: quiet hours and the daily cap follow the patient's own clock.
 */
class DeliveryPolicyTest {

  private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
  private final DeliveryPolicy policy = new DeliveryPolicy();
  private final UUID patient = UUID.randomUUID();
  private final Recipient maria = new Recipient(RecipientKind.PATIENT, patient, "Maria", "+15550001234",
      "maria@example.test", "es-MX", null);
  private final EngagementSettings utcTenant = EngagementSettings.DEFAULTS;

  private Preference inChicago() {
    return new Preference(patient, Preference.DEFAULT_ORDER, EnumSet.noneOf(Channel.class),
        EnumSet.noneOf(Category.class), CHICAGO, null, null, 1);
  }

  private Message message(Topic topic, boolean critical, Instant expires) {
    return new Message(UUID.randomUUID(), "k", topic, "event", null, RecipientKind.PATIENT, patient, new JsonObject(),
        critical, MessageStatus.QUEUED, null, EnumSet.noneOf(Channel.class), 0, null, null, null, expires, null, null,
        null, null, null, null, null, null, null);
  }

  private Decision decide(Message m, Preference p, int devices, int sentToday, Instant now) {
    return policy.decide(m, new DeliveryPolicy.Circumstances(maria, p, devices, sentToday), utcTenant, now);
  }

  @Test
  void quietHoursFollowThePatientsZoneNotTheServers() {
    // 03:30 UTC is 21:30 in Chicago (CST): quiet there, though mid-morning for a UTC tenant's quiet window.
    Instant night = Instant.parse("2026-01-15T03:30:00Z");
    Decision d = decide(message(Topic.APPOINTMENT_BOOKED, false, null), inChicago(), 1, 0, night);
    assertThat(d).isInstanceOf(Decision.Defer.class);
    assertThat(((Decision.Defer) d).until()).isEqualTo(Instant.parse("2026-01-15T14:00:00Z"));
    // 15:00 UTC is 09:00 in Chicago: not quiet, goes by push.
    assertThat(decide(message(Topic.APPOINTMENT_BOOKED, false, null), inChicago(), 1, 0,
        Instant.parse("2026-01-15T15:00:00Z"))).isEqualTo(new Decision.Send(Channel.PUSH, false, "es-MX", CHICAGO));
  }

  /**
   * A reminder of a visit at a facility in Tokyo, for a patient who chose no zone, keeps the quiet hours of Tokyo, not
   * the tenant's UTC; a patient who chose Chicago keeps Chicago's, wherever the visit is.
   */
  @Test
  void quietHoursOfAVisitAtAFacilityFollowTheFacilitysZoneUnlessThePatientChoseOne() {
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    Message atTokyo = message(Topic.APPOINTMENT_REMINDER, false, null);
    atTokyo.variables().put(DeliveryPolicy.APPOINTMENT_TIME_ZONE, tokyo.getId());
    // 13:00 UTC is 22:00 in Tokyo: quiet until 08:00 there (23:00 UTC), though mid-afternoon for the UTC tenant.
    Decision d = decide(atTokyo, Preference.defaults(patient), 1, 0, Instant.parse("2026-01-15T13:00:00Z"));
    assertThat(d).isEqualTo(new Decision.Defer(Instant.parse("2026-01-15T23:00:00Z"), "quiet hours"));
    assertThat(decide(message(Topic.APPOINTMENT_REMINDER, false, null), Preference.defaults(patient), 1, 0,
        Instant.parse("2026-01-15T13:00:00Z"))).isInstanceOf(Decision.Send.class);
    // 15:00 UTC is midnight in Tokyo but 09:00 in Chicago, the patient's own zone: it goes.
    assertThat(decide(atTokyo, inChicago(), 1, 0, Instant.parse("2026-01-15T15:00:00Z")))
        .isEqualTo(new Decision.Send(Channel.PUSH, false, "es-MX", CHICAGO));
  }

  @Test
  void criticalCategoriesBypassQuietHoursAndTheCap() {
    Instant night = Instant.parse("2026-01-15T03:30:00Z");
    assertThat(decide(message(Topic.LAB_RESULT_AVAILABLE, true, null), inChicago(), 1, 99, night))
        .isInstanceOf(Decision.Send.class);
  }

  @Test
  void theDailyCapDefersToThePatientsNextMidnight() {
    Decision d = decide(message(Topic.CAMPAIGN, false, null), inChicago(), 1, 3, Instant.parse("2026-01-15T20:00:00Z"));
    assertThat(d).isEqualTo(new Decision.Defer(Instant.parse("2026-01-16T06:00:00Z"), "daily cap"));
  }

  @Test
  void aDeferralPastTheMessagesUsefulLifeExpiresIt() {
    Instant night = Instant.parse("2026-01-15T03:30:00Z");
    Decision d = decide(message(Topic.APPOINTMENT_REMINDER, false, Instant.parse("2026-01-15T05:00:00Z")),
        inChicago(), 1, 0, night);
    assertThat(d).isInstanceOf(Decision.Expire.class);
  }

  @Test
  void anAccountInvitationGoesByEmailWhateverTheChannelOrderAndTheCategoryOptOuts() {
    Instant day = Instant.parse("2026-01-15T16:00:00Z");
    Preference smsFirst = new Preference(patient, List.of(Channel.SMS, Channel.PUSH), EnumSet.noneOf(Channel.class),
        EnumSet.allOf(Category.class), CHICAGO, null, null, 1);
    assertThat(decide(message(Topic.ACCOUNT_INVITATION, true, null), smsFirst, 1, 0, day))
        .isEqualTo(new Decision.Send(Channel.EMAIL, true, "es-MX", CHICAGO));
    // Its link is a credential: never on push or SMS, even with no email to go to.
    Recipient noEmail = new Recipient(RecipientKind.PATIENT, patient, "Maria", "+15550001234", null, "es-MX", null);
    assertThat(policy.decide(message(Topic.ACCOUNT_INVITATION, true, null),
        new DeliveryPolicy.Circumstances(noEmail, inChicago(), 1, 0), utcTenant, day))
        .isInstanceOf(Decision.Suppress.class);
  }

  @Test
  void anOptedOutCategoryIsSuppressedAndAnOptedOutChannelFallsThrough() {
    Instant day = Instant.parse("2026-01-15T16:00:00Z");
    Preference noCampaigns = new Preference(patient, Preference.DEFAULT_ORDER, EnumSet.of(Channel.PUSH),
        EnumSet.of(Category.CAMPAIGNS), CHICAGO, null, null, 1);
    assertThat(decide(message(Topic.CAMPAIGN, false, null), noCampaigns, 1, 0, day))
        .isEqualTo(new Decision.Suppress("opted out of campaigns"));
    assertThat(((Decision.Send) decide(message(Topic.LAB_RESULT_AVAILABLE, false, null), noCampaigns, 1, 0, day))
        .channel()).isEqualTo(Channel.SMS);
  }

  @Test
  void anSmsStopSkipsSmsAndAPushlessPatientFallsBackToEmail() {
    Instant day = Instant.parse("2026-01-15T16:00:00Z");
    Preference stopped = new Preference(patient, List.of(Channel.SMS, Channel.PUSH, Channel.EMAIL),
        EnumSet.noneOf(Channel.class), EnumSet.noneOf(Category.class), CHICAGO, null, day, 2);
    assertThat(((Decision.Send) decide(message(Topic.PRESCRIPTION_READY, false, null), stopped, 0, 0, day)).channel())
        .isEqualTo(Channel.EMAIL);
  }

  @Test
  void channelsThatFailedForGoodAreNotTriedAgain() {
    Instant day = Instant.parse("2026-01-15T16:00:00Z");
    Message m = new Message(UUID.randomUUID(), "k", Topic.PRESCRIPTION_READY, "event", null, RecipientKind.PATIENT,
        patient, new JsonObject(), false, MessageStatus.QUEUED, null, Set.of(Channel.PUSH, Channel.SMS, Channel.EMAIL),
        3, null, null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(decide(m, inChicago(), 1, 0, day)).isEqualTo(new Decision.Fail("every usable channel failed permanently"));
  }

  @Test
  void quietHoursWithinOneDayAndAcrossMidnight() {
    ZoneId utc = ZoneId.of("UTC");
    assertThat(DeliveryPolicy.quietUntil(Instant.parse("2026-01-15T13:00:00Z"), utc, LocalTime.of(12, 0),
        LocalTime.of(14, 0))).isEqualTo(Instant.parse("2026-01-15T14:00:00Z"));
    assertThat(DeliveryPolicy.quietUntil(Instant.parse("2026-01-15T23:00:00Z"), utc, LocalTime.of(21, 0),
        LocalTime.of(8, 0))).isEqualTo(Instant.parse("2026-01-16T08:00:00Z"));
    assertThat(DeliveryPolicy.quietUntil(Instant.parse("2026-01-15T10:00:00Z"), utc, LocalTime.of(21, 0),
        LocalTime.of(8, 0))).isNull();
  }
}
