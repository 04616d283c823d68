package io.caduceus.notifications.crm;

/** One answer to one question of a survey: a score or a text. */
public record SurveyAnswer(String questionId, Integer score, String text) {
}
