package io.caduceus.notifications.crm;

import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's surveys, their invitations and answers, on the caller's tenant transaction. An invitation is made
 * once per survey, patient and cause; its answers are written once.
 */
public final class Surveys {

  private static final String INSERT = """
      INSERT INTO survey (tenant_id, id, name, kind, questions, after_visit)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5)
      RETURNING %s""".formatted(Survey.COLUMNS);
  private static final String LIST = "SELECT " + Survey.COLUMNS + " FROM survey ORDER BY created_at DESC LIMIT 200";
  private static final String FIND = "SELECT " + Survey.COLUMNS + " FROM survey WHERE id = $1";
  private static final String INVITATIONS = """
      SELECT count(*) AS invited, count(answered_at) AS answered
      FROM survey_invitation
      WHERE survey_id = $1""";
  private static final String SCORES = """
      SELECT a.question_id, a.score, count(*) AS n
      FROM survey_answer a
      JOIN survey_invitation i ON i.tenant_id = a.tenant_id AND i.id = a.invitation_id
      WHERE i.survey_id = $1
      GROUP BY a.question_id, a.score""";
  private static final String PENDING = """
      SELECT i.id AS invitation_id, i.patient_id, i.created_at, i.answered_at, s.id, s.name, s.questions
      FROM survey_invitation i
      JOIN survey s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id
      WHERE i.patient_id = $1 AND i.answered_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > $2)
      ORDER BY i.created_at DESC
      LIMIT 50""";
  private static final String LOCK = """
      SELECT i.id AS invitation_id, i.patient_id, i.created_at, i.answered_at, s.id, s.name, s.questions
      FROM survey_invitation i
      JOIN survey s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id
      WHERE i.id = $1 AND i.patient_id = $2
        AND (i.answered_at IS NOT NULL OR i.expires_at IS NULL OR i.expires_at > $3)
      FOR UPDATE OF i""";
  private static final String ANSWER = """
      INSERT INTO survey_answer (tenant_id, invitation_id, question_id, patient_id, score, text_value)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5)""";
  private static final String ANSWERED = "UPDATE survey_invitation SET answered_at = $2 WHERE id = $1";
  private static final String ANSWERS = """
      SELECT i.answered_at, a.question_id, a.score, a.text_value
      FROM survey_invitation i
      JOIN survey_answer a ON a.tenant_id = i.tenant_id AND a.invitation_id = i.id
      WHERE i.id = $1 AND i.patient_id = $2 AND i.answered_at IS NOT NULL
      ORDER BY a.question_id""";
  private static final String INVITE_AFTER_VISIT = """
      INSERT INTO survey_invitation (tenant_id, id, survey_id, patient_id, cause, expires_at)
      SELECT current_setting('app.tenant_id')::uuid, $1, s.id, $2, $3, $4
      FROM survey s
      WHERE s.after_visit
      ORDER BY s.created_at DESC
      LIMIT 1
      ON CONFLICT (tenant_id, survey_id, patient_id, cause) DO NOTHING
      RETURNING id""";
  private static final String INVITE = """
      INSERT INTO survey_invitation (tenant_id, id, survey_id, patient_id, cause)
      SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), $1, p.id, $3
      FROM unnest($2::uuid[]) AS p(id)
      ON CONFLICT (tenant_id, survey_id, patient_id, cause) DO NOTHING
      RETURNING id, patient_id""";

  /** Stores a survey. */
  public Future<Survey> create(SqlConnection conn, UUID id, String name, String kind, JsonArray questions,
                               boolean afterVisit) {
    return conn.preparedQuery(INSERT).execute(Tuple.of(id, name, kind, questions, afterVisit))
        .map(rows -> Survey.fromRow(rows.iterator().next()));
  }

  /** The tenant's latest 200 surveys, newest first. */
  public Future<List<Survey>> list(SqlConnection conn) {
    return conn.query(LIST).execute().map(rows -> {
      List<Survey> all = new ArrayList<>();
      rows.forEach(row -> all.add(Survey.fromRow(row)));
      return all;
    });
  }

  /** The survey, if it is the tenant's. */
  public Future<Optional<Survey>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(Survey.fromRow(rows.iterator().next())));
  }

  /** The survey's invitations and answers, counted. */
  public Future<SurveyTally> tally(SqlConnection conn, UUID id) {
    return Future.all(conn.preparedQuery(INVITATIONS).execute(Tuple.of(id)),
            conn.preparedQuery(SCORES).execute(Tuple.of(id)))
        .map(both -> {
          Row counts = both.<RowSet<Row>>resultAt(0).iterator().next();
          List<SurveyTally.ScoreCount> scores = new ArrayList<>();
          both.<RowSet<Row>>resultAt(1).forEach(row -> scores.add(new SurveyTally.ScoreCount(
              row.getString("question_id"), row.getInteger("score"), row.getLong("n"))));
          return new SurveyTally(counts.getLong("invited"), counts.getLong("answered"), scores);
        });
  }

  /** The patient's latest 50 unanswered invitations not expired at {@code now}, newest first. */
  public Future<List<SurveyInvitation>> pending(SqlConnection conn, UUID patient, Instant now) {
    return conn.preparedQuery(PENDING).execute(Tuple.of(patient, Timestamps.utc(now))).map(rows -> {
      List<SurveyInvitation> all = new ArrayList<>();
      rows.forEach(row -> all.add(invitation(row)));
      return all;
    });
  }

  /**
   * The patient's invitation, locked for this transaction so that it is answered once; none if it expired unanswered
   * by {@code now}.
   */
  public Future<Optional<SurveyInvitation>> lock(SqlConnection conn, UUID invitation, UUID patient, Instant now) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(invitation, patient, Timestamps.utc(now)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(invitation(rows.iterator().next())));
  }

  /** Stores the answers to an invitation and marks it answered at {@code now}. */
  public Future<Void> answer(SqlConnection conn, SurveyInvitation invitation, List<SurveyAnswer> answers,
                             Instant now) {
    List<Tuple> rows = new ArrayList<>();
    answers.forEach(a -> rows.add(Tuple.of(invitation.id(), a.questionId(), invitation.patientId(), a.score(),
        a.text())));
    return conn.preparedQuery(ANSWER).executeBatch(rows)
        .compose(v -> conn.preparedQuery(ANSWERED).execute(Tuple.of(invitation.id(), Timestamps.utc(now))))
        .mapEmpty();
  }

  /** The answers to the patient's invitation, by question id; empty until it is answered. */
  public Future<Optional<SurveyInvitation.Answered>> answers(SqlConnection conn, UUID invitation, UUID patient) {
    return conn.preparedQuery(ANSWERS).execute(Tuple.of(invitation, patient)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      List<SurveyAnswer> answers = new ArrayList<>();
      rows.forEach(row -> answers.add(new SurveyAnswer(row.getString("question_id"), row.getInteger("score"),
          row.getString("text_value"))));
      return Optional.of(new SurveyInvitation.Answered(
          rows.iterator().next().getOffsetDateTime("answered_at").toInstant(), answers));
    });
  }

  /**
   * Invites the patient to the tenant's newest after-visit survey, once per cause, until {@code expiresAt} (its
   * message's own expiry: the invitation is neither listed nor answerable after it); the new invitation's id.
   */
  public Future<Optional<UUID>> inviteAfterVisit(SqlConnection conn, UUID id, UUID patient, String cause,
                                                 Instant expiresAt) {
    return conn.preparedQuery(INVITE_AFTER_VISIT).execute(Tuple.of(id, patient, cause, Timestamps.utc(expiresAt)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /** Invites each patient to the survey, once per cause; the invitations this call created. */
  public Future<List<SurveyInvitation.Created>> invite(SqlConnection conn, UUID survey, List<UUID> patients,
                                                       String cause) {
    return conn.preparedQuery(INVITE).execute(Tuple.of(survey, patients.toArray(UUID[]::new), cause)).map(rows -> {
      List<SurveyInvitation.Created> created = new ArrayList<>();
      rows.forEach(row -> created.add(new SurveyInvitation.Created(row.getUUID("id"), row.getUUID("patient_id"))));
      return created;
    });
  }

  private static SurveyInvitation invitation(Row row) {
    return new SurveyInvitation(row.getUUID("invitation_id"), row.getUUID("id"), row.getString("name"),
        row.getUUID("patient_id"), row.getJsonArray("questions"), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("answered_at") == null ? null : row.getOffsetDateTime("answered_at").toInstant());
  }
}
