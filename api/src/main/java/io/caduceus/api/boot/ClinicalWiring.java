package io.caduceus.api.boot;

import io.caduceus.api.appointment.AppointmentHandlers;
import io.caduceus.api.appointment.AppointmentService;
import io.caduceus.api.appointment.VisitSessions;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.emergency.EmergencyAccessHandlers;
import io.caduceus.api.emergency.EmergencyAccessService;
import io.caduceus.api.encounter.EncounterHandlers;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.lab.LabExchange;
import io.caduceus.api.lab.LabOrderHandlers;
import io.caduceus.api.lab.LabOrderService;
import io.caduceus.api.lab.LabWorkService;
import io.caduceus.api.patient.PatientHandlers;
import io.caduceus.api.patient.PatientService;
import io.caduceus.api.practitioner.PractitionerHandlers;
import io.caduceus.api.practitioner.PractitionerService;
import io.caduceus.api.prescription.DispensingService;
import io.caduceus.api.prescription.InteractionKnowledgeBase;
import io.caduceus.api.prescription.InteractionRuleHandlers;
import io.caduceus.api.prescription.InteractionRuleService;
import io.caduceus.api.prescription.PrescriptionExchange;
import io.caduceus.api.prescription.PrescriptionHandlers;
import io.caduceus.api.prescription.PrescriptionService;
import io.caduceus.api.room.RoomHandlers;
import io.caduceus.api.room.RoomService;

import java.time.Clock;

/** The clinic's record: patients, practitioners, rooms, appointments, encounters, lab orders and prescriptions. */
final class ClinicalWiring {

  final PatientService patients;
  final PractitionerService practitioners;
  final AppointmentService appointments;
  final EncounterService encounters;
  final LabOrderService labOrders;
  final LabWorkService labWork;
  final PrescriptionService prescriptions;
  final DispensingService dispensing;
  final InteractionRuleService interactionRules;
  final RoomService rooms;
  final EmergencyAccessService emergencyAccess;

  ClinicalWiring(Shared shared, AccessWiring access, ExchangeWiring exchanges, InteractionKnowledgeBase interactions,
                 VisitSessions visitSessions, EffectiveConfig config) {
    var db = shared.db();
    var keyring = shared.keyring();
    var cursors = shared.cursors();
    var phones = shared.phones();
    var outbox = shared.outbox();
    var catalog = shared.catalog();
    var users = access.users;
    var exchange = exchanges.exchange;
    this.patients = new PatientService(db, keyring, cursors, phones);
    this.practitioners = new PractitionerService(db, users, cursors, phones);
    this.appointments = new AppointmentService(db, outbox, cursors, catalog, Clock.systemUTC(),
        visitSessions, config);
    this.encounters = new EncounterService(db, outbox, cursors);
    this.labOrders = new LabOrderService(db, exchange, cursors);
    this.labWork = new LabWorkService(db, exchange);
    new LabExchange(exchange, outbox).register(exchanges.delivery);
    this.prescriptions = new PrescriptionService(db, exchange, cursors, interactions);
    this.dispensing = new DispensingService(db, exchange, outbox, interactions);
    this.interactionRules = new InteractionRuleService(db, cursors);
    new PrescriptionExchange(exchange).register(exchanges.delivery);
    this.rooms = new RoomService(db, cursors);
    this.emergencyAccess = new EmergencyAccessService(db, outbox, users, cursors);
  }

  /** Binds the clinical operations. */
  void bind(Operations ops, Idempotency idempotency) {
    new PatientHandlers(patients, idempotency).bind(ops);
    new PractitionerHandlers(practitioners, idempotency).bind(ops);
    new AppointmentHandlers(appointments, idempotency).bind(ops);
    new EncounterHandlers(encounters, idempotency).bind(ops);
    new LabOrderHandlers(labOrders, labWork, idempotency).bind(ops);
    new PrescriptionHandlers(prescriptions, dispensing, idempotency).bind(ops);
    new InteractionRuleHandlers(interactionRules, idempotency).bind(ops);
    new RoomHandlers(rooms, idempotency).bind(ops);
    new EmergencyAccessHandlers(emergencyAccess, idempotency).bind(ops);
  }
}
