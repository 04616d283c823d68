package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

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

  private static final String COLUMNS = "id, name, kind, questions, after_visit, created_at";
  private static final String INSERT = "INSERT INTO survey (tenant_id, id, name, kind, questions, after_visit)"
      + " VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5) RETURNING " + COLUMNS;
  private static final String LIST = "SELECT " + COLUMNS + " FROM survey ORDER BY created_at DESC LIMIT 200";
  private static final String FIND = "SELECT " + COLUMNS + " FROM survey WHERE id = $1";
  private static final String INVITATIONS = "SELECT count(*) AS invited, count(answered_at) AS answered"
      + " FROM survey_invitation WHERE survey_id = $1";
  private static final String SCORES = "SELECT a.question_id, a.score, count(*) AS n,"
      + " count(a.text_value) AS texts FROM survey_answer a JOIN survey_invitation i"
      + " ON i.tenant_id = a.tenant_id AND i.id = a.invitation_id WHERE i.survey_id = $1"
      + " GROUP BY a.question_id, a.score";
  private static final String PENDING = "SELECT i.id AS invitation_id, i.created_at, s.id, s.name, s.questions"
      + " FROM survey_invitation i JOIN survey s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id"
      + " WHERE i.patient_id = $1 AND i.answered_at IS NULL ORDER BY i.created_at DESC LIMIT 50";
  private static final String INVITATION = "SELECT i.id, i.patient_id, i.answered_at, s.questions"
      + " FROM survey_invitation i JOIN survey s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id"
      + " WHERE i.id = $1 AND i.patient_id = $2 FOR UPDATE OF i";
  private static final String ANSWER = "INSERT INTO survey_answer (tenant_id, invitation_id, question_id, patient_id,"
      + " score, text_value) VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5)";
  private static final String ANSWERED = "UPDATE survey_invitation SET answered_at = $2 WHERE id = $1";
  private static final String ANSWERS = "SELECT i.answered_at, a.question_id, a.score, a.text_value"
      + " FROM survey_invitation i JOIN survey_answer a ON a.tenant_id = i.tenant_id AND a.invitation_id = i.id"
      + " WHERE i.id = $1 AND i.patient_id = $2 AND i.answered_at IS NOT NULL ORDER BY a.question_id";

  private final TenantDb db;

  public SurveyService(TenantDb db) {
    this.db = db;
  }

  /** Defines a survey. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    JsonArray questions = checked(body.getJsonArray("questions"));
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(INSERT).execute(Tuple.of(UuidV7.next(),
                body.getString("name"), body.getString("kind"), questions, body.getBoolean("afterVisit", false)))
            .map(rows -> json(rows.iterator().next()))));
  }

  /** The tenant's surveys. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, conn -> conn.query(LIST).execute()))
        .map(rows -> {
          List<JsonObject> all = new ArrayList<>();
          rows.forEach(row -> all.add(json(row)));
          return all;
        });
  }

  /** One of the tenant's surveys. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, conn -> conn.preparedQuery(FIND).execute(Tuple.of(id))))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such survey"))
            : Future.succeededFuture(json(rows.iterator().next())));
  }

  /** The caller's own answers to one of their invitations, once answered. */
  public Future<JsonObject> answers(TenantContext ctx, UUID invitation) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(ANSWERS).execute(Tuple.of(invitation, self(ctx)))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.<JsonObject>failedFuture(new NotFound("no answered survey invitation of yours"));
              }
              JsonArray answers = new JsonArray();
              rows.forEach(row -> answers.add(answer(row.getString("question_id"), row.getInteger("score"),
                  row.getString("text_value"))));
              return Future.succeededFuture(answered(invitation,
                  rows.iterator().next().getOffsetDateTime("answered_at").toInstant(), answers));
            })));
  }

  /** The answers to a survey, aggregated: response rate, NPS, and per question the count, mean and spread. */
  public Future<JsonObject> results(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(FIND).execute(Tuple.of(id)).compose(found -> {
          if (found.size() == 0) {
            return Future.failedFuture(new NotFound("no such survey"));
          }
          Row survey = found.iterator().next();
          return Future.all(conn.preparedQuery(INVITATIONS).execute(Tuple.of(id)),
                  conn.preparedQuery(SCORES).execute(Tuple.of(id)))
              .map(both -> SurveyResults.of(survey, both.resultAt(0), both.resultAt(1)));
        })));
  }

  /** The caller's unanswered invitations. */
  public Future<List<JsonObject>> pending(TenantContext ctx) {
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.once(ctx, conn -> conn.preparedQuery(PENDING).execute(Tuple.of(self(ctx)))))
        .map(rows -> {
          List<JsonObject> all = new ArrayList<>();
          rows.forEach(row -> all.add(new JsonObject().put("invitationId", row.getUUID("invitation_id").toString())
              .put("surveyId", row.getUUID("id").toString()).put("name", row.getString("name"))
              .put("questions", row.getJsonArray("questions"))
              .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())));
          return all;
        });
  }

  /** Records the caller's answers to one of their invitations, once. */
  public Future<JsonObject> answer(TenantContext ctx, UUID invitation, JsonArray answers, Instant now) {
    ctx.audit().patient(ctx.patientId().orElse(null));
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(INVITATION).execute(Tuple.of(invitation, self(ctx)))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(new NotFound("no such survey invitation"));
              }
              Row row = rows.iterator().next();
              if (row.getOffsetDateTime("answered_at") != null) {
                return Future.failedFuture(new Conflict("this survey is already answered"));
              }
              return store(conn, row, answers, now);
            })
            .map(v2 -> answered(invitation, now, recorded(answers)))));
  }

  private Future<Void> store(SqlConnection conn, Row invitation, JsonArray answers, Instant now) {
    Map<String, JsonObject> questions = invitation.getJsonArray("questions").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(q -> q.getString("id"), Function.identity()));
    List<Tuple> rows = new ArrayList<>();
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
      rows.add(Tuple.of(invitation.getUUID("id"), q.getString("id"), invitation.getUUID("patient_id"), score,
          a.getString("text")));
    }
    return conn.preparedQuery(ANSWER).executeBatch(rows)
        .compose(v -> conn.preparedQuery(ANSWERED).execute(Tuple.of(invitation.getUUID("id"),
            Timestamps.utc(now))))
        .mapEmpty();
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

  static JsonObject json(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString()).put("name", row.getString("name"))
        .put("kind", row.getString("kind")).put("questions", row.getJsonArray("questions"))
        .put("afterVisit", row.getBoolean("after_visit"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
