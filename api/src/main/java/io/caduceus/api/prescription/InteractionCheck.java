package io.caduceus.api.prescription;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The drug-drug interaction check of one prescription at the pharmacy: every ingredient of it against every
 * ingredient of the patient's other active prescriptions there (see {@link PrescriptionSql#ACTIVE_OF_PATIENT}),
 * through the shipped knowledge base and the pharmacy's own rules. Most serious hits first.
 */
final class InteractionCheck {

  private final InteractionKnowledgeBase kb;
  private final PrescriptionRepository prescriptions = new PrescriptionRepository();
  private final InteractionRuleRepository rules = new InteractionRuleRepository();

  InteractionCheck(InteractionKnowledgeBase kb) {
    this.kb = kb;
  }

  /** The findings for {@code rx}, read in the caller's transaction. */
  Future<InteractionFindings> run(SqlConnection conn, Prescription rx) {
    return prescriptions.activeOfPatient(conn, rx.patientId(), rx.id())
        .compose(others -> rules.involving(conn, rx.medication().ingredients())
            .map(own -> new InteractionFindings(rx, others.size(), hits(rx, others, own), kb)));
  }

  /** The hits of {@code rx} against {@code others}, by the knowledge base and the pharmacy's {@code own} rules. */
  List<InteractionHit> hits(Prescription rx, List<Prescription> others, List<InteractionRule> own) {
    List<InteractionHit> hits = new ArrayList<>();
    for (Prescription other : others) {
      for (String mine : rx.medication().ingredients()) {
        for (String theirs : other.medication().ingredients()) {
          if (mine.equals(theirs)) {
            continue;
          }
          kb.between(mine, theirs).ifPresent(i -> hits.add(InteractionHit.of(i, mine, theirs, other, kb)));
          own.stream().map(InteractionRule::interaction).filter(i -> i.between(mine, theirs))
              .forEach(i -> hits.add(InteractionHit.of(i, mine, theirs, other, kb)));
        }
      }
    }
    hits.sort(Comparator.comparingInt((InteractionHit h) -> h.interaction().rank()).thenComparing(InteractionHit::key));
    return hits;
  }
}
