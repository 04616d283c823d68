package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.notifications.crm.Survey;
import io.caduceus.notifications.crm.SurveyAnswer;
import io.caduceus.notifications.crm.SurveyInvitation;
import io.caduceus.notifications.crm.Surveys;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Satisfaction and NPS surveys: the tenant defines them, patients answer their invitations once in the app, and
 * the tenant sees the answers aggregated (free text is counted, never listed here).
 */
public final class SurveyService {

  private final TenantDb db;
  private final Surveys surveys = new Surveys();

  public SurveyService(TenantDb db) {
    this.db = db;
  }

  /** Defines a survey. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    JsonArray questions = checked(body.getJsonArray("questions"));
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> surveys.create(conn, UuidV7.next(), body.getString("name"),
                body.getString("kind"), questions, body.getBoolean("afterVisit", false))
            .map(SurveyService::json)));
  }

  /** The tenant's surveys. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, surveys::list))
        .map(all -> all.stream().map(SurveyService::json).toList());
  }

  /** One of the tenant's surveys. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, conn -> surveys.find(conn, id)))
        .compose(found -> found.isEmpty() ? Future.failedFuture(new NotFound("no such survey"))
            : Future.succeededFuture(json(found.get())));
  }

  /** The caller's own answers to one of their invitations, once answered. */
  public Future<JsonObject> answers(TenantContext ctx, UUID invitation) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> surveys.answers(conn, invitation, self(ctx))
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.<JsonObject>failedFuture(new NotFound("no answered survey invitation of yours"));
              }
              JsonArray answers = new JsonArray();
              found.get().answers().forEach(a -> answers.add(answer(a.questionId(), a.score(), a.text())));
              return Future.succeededFuture(answered(invitation, found.get().answeredAt(), answers));
            })));
  }

  /** The answers to a survey, aggregated: response rate, NPS, and per question the count, mean and spread. */
  public Future<JsonObject> results(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> surveys.find(conn, id).compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new NotFound("no such survey"));
          }
          return surveys.tally(conn, id).map(tally -> SurveyResults.of(found.get(), tally));
        })));
  }

  /** The caller's unanswered invitations not expired at {@code now}. */
  public Future<List<JsonObject>> pending(TenantContext ctx, Instant now) {
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.once(ctx, conn -> surveys.pending(conn, self(ctx), now)))
        .map(all -> all.stream().map(i -> new JsonObject().put("invitationId", i.id().toString())
            .put("surveyId", i.surveyId().toString()).put("name", i.surveyName())
            .put("questions", i.questions()).put("createdAt", i.createdAt().toString())).toList());
  }

  /** Records the caller's answers to one of their invitations, once. */
  public Future<JsonObject> answer(TenantContext ctx, UUID invitation, JsonArray answers, Instant now) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> surveys.lock(conn, invitation, self(ctx), now)
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(new NotFound("no such survey invitation"));
              }
              if (found.get().answeredAt() != null) {
                return Future.failedFuture(new Conflict("this survey is already answered"));
              }
              return surveys.answer(conn, found.get(), checked(found.get(), answers), now);
            })
            .map(v2 -> answered(invitation, now, recorded(answers)))));
  }

  /** The answers, each checked against its question: a score within range, or text. */
  private static List<SurveyAnswer> checked(SurveyInvitation invitation, JsonArray answers) {
    Map<String, JsonObject> questions = invitation.questions().stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(q -> q.getString("id"), Function.identity()));
    List<SurveyAnswer> checked = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.getJsonObject(i);
      JsonObject q = questions.get(a.getString("questionId"));
      if (q == null || !seen.add(a.getString("questionId"))) {
        throw new Unprocessable("answer " + i + " names no question of this survey, or one answered twice");
      }
      Integer score = a.getInteger("score");
      if ("score".equals(q.getString("type"))) {
        if (score == null || score < q.getInteger("min", 0) || score > q.getInteger("max", 10) || a.containsKey("text")) {
          throw new Unprocessable("answer " + i + " needs a score within the question's range");
        }
      } else if (score != null || a.getString("text") == null) {
        throw new Unprocessable("answer " + i + " needs text, not a score");
      }
      checked.add(new SurveyAnswer(q.getString("id"), score, a.getString("text")));
    }
    return checked;
  }

  private static JsonObject answered(UUID invitation, Instant at, JsonArray answers) {
    return new JsonObject().put("invitationId", invitation.toString()).put("answeredAt", at.toString())
        .put("answers", answers);
  }

  /** The answers as stored and read back: by question id, each with its score or its text. */
  private static JsonArray recorded(JsonArray answers) {
    JsonArray sorted = new JsonArray();
    answers.stream().map(JsonObject.class::cast).sorted(Comparator.comparing(a -> a.getString("questionId")))
        .forEach(a -> sorted.add(answer(a.getString("questionId"), a.getInteger("score"), a.getString("text"))));
    return sorted;
  }

  private static JsonObject answer(String questionId, Integer score, String text) {
    JsonObject answer = new JsonObject().put("questionId", questionId);
    if (score != null) {
      answer.put("score", score);
    }
    if (text != null) {
      answer.put("text", text);
    }
    return answer;
  }

  private static JsonArray checked(JsonArray questions) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < questions.size(); i++) {
      JsonObject q = questions.getJsonObject(i);
      if (!ids.add(q.getString("id"))) {
        throw new Invalid("/questions/" + i + "/id", "is used twice");
      }
      if ("score".equals(q.getString("type")) && q.getInteger("min", 0) >= q.getInteger("max", 10)) {
        throw new Invalid("/questions/" + i + "/max", "must be above min");
      }
    }
    return questions;
  }

  private static UUID self(TenantContext ctx) {
    return ctx.patientId().orElseThrow(() -> new Forbidden("only a patient answers surveys"));
  }

  private static JsonObject json(Survey survey) {
    return new JsonObject().put("id", survey.id().toString()).put("name", survey.name())
        .put("kind", survey.kind()).put("questions", survey.questions()).put("afterVisit", survey.afterVisit())
        .put("createdAt", survey.createdAt().toString());
  }
}
