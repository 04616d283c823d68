package io.caduceus.api.engagement;

import io.caduceus.notifications.crm.Survey;
import io.caduceus.notifications.crm.SurveyTally;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A survey's answers summed up: response rate, Net Promoter Score, and per question the count, mean and spread. */
final class SurveyResults {

  private SurveyResults() {
  }

  static JsonObject of(Survey survey, SurveyTally tally) {
    long invited = tally.invited();
    long answered = tally.answered();
    JsonArray questions = new JsonArray();
    Double nps = null;
    boolean firstScore = true;
    for (Object o : survey.questions()) {
      JsonObject q = (JsonObject) o;
      long n = 0;
      long sum = 0;
      long promoters = 0;
      long detractors = 0;
      JsonObject distribution = new JsonObject();
      for (SurveyTally.ScoreCount r : tally.scores()) {
        if (!r.questionId().equals(q.getString("id"))) {
          continue;
        }
        long count = r.answers();
        n += count;
        Integer score = r.score();
        if (score != null) {
          sum += (long) score * count;
          distribution.put(score.toString(), count);
          promoters += score >= 9 ? count : 0;
          detractors += score <= 6 ? count : 0;
        }
      }
      boolean scored = "score".equals(q.getString("type"));
      if (scored && firstScore && "nps".equals(survey.kind()) && n > 0) {
        nps = Math.round(1000.0 * (promoters - detractors) / n) / 10.0;
      }
      firstScore = firstScore && !scored;
      questions.add(new JsonObject().put("id", q.getString("id")).put("text", q.getString("text"))
          .put("type", q.getString("type")).put("answers", n)
          .put("average", scored && n > 0 ? Math.round(100.0 * sum / n) / 100.0 : null)
          .put("distribution", scored ? distribution : null));
    }
    return new JsonObject().put("surveyId", survey.id().toString()).put("invitations", invited)
        .put("responses", answered).put("responseRate", invited == 0 ? 0.0 : Math.round(1000.0 * answered / invited) / 1000.0)
        .put("nps", nps).put("questions", questions);
  }
}
