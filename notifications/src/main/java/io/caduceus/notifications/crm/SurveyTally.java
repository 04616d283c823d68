package io.caduceus.notifications.crm;

import java.util.List;

/** A survey's answers counted: invitations sent and answered, and per question and score how many answers. */
public record SurveyTally(long invited, long answered, List<ScoreCount> scores) {

  /** How many answers a question had with one score ({@code null} for text answers). */
  public record ScoreCount(String questionId, Integer score, long answers) {
  }
}
