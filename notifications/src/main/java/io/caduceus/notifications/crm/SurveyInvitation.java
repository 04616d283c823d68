package io.caduceus.notifications.crm;

import io.vertx.core.json.JsonArray;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A patient's invitation to a survey, with the survey's questions and, once answered, when. */
public record SurveyInvitation(UUID id, UUID surveyId, String surveyName, UUID patientId, JsonArray questions,
                               Instant createdAt, Instant answeredAt) {

  /** An invitation just created for a patient. */
  public record Created(UUID id, UUID patientId) {
  }

  /** The answers given to an invitation, by question id. */
  public record Answered(Instant answeredAt, List<SurveyAnswer> answers) {
  }
}
