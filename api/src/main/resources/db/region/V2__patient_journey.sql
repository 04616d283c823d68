-- The patient journey across tenants: encounters, lab orders and results, e-prescriptions and dispensing,
-- coverage, fees, charges and claims, and the inbox that makes cross-tenant delivery effectively-once.
--
-- Cross-tenant items are never shared rows. Each side keeps its own copy: direction 'outgoing' at the tenant
-- that placed the item, 'incoming' at the tenant that serves it, each naming its counterpart.

-- A patient created from another tenant's item keeps its origin, so the next item finds the same record.
ALTER TABLE patient ADD COLUMN source_tenant_id uuid, ADD COLUMN source_patient_id uuid;
CREATE UNIQUE INDEX patient_by_source ON patient (tenant_id, source_tenant_id, source_patient_id)
  WHERE source_tenant_id IS NOT NULL;

-- The last eligibility answer for the visit (insurer, plan, status, when).
ALTER TABLE appointment ADD COLUMN eligibility jsonb;

CREATE TABLE encounter (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  appointment_id  uuid NOT NULL,
  patient_id      uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'signed')),
  notes           text NOT NULL DEFAULT '',
  opened_by       uuid NOT NULL,
  opened_at       timestamptz NOT NULL DEFAULT now(),
  signed_by       uuid,
  signed_at       timestamptz,
  version         integer NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT encounter_one_per_appointment UNIQUE (tenant_id, appointment_id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointment (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id),
  FOREIGN KEY (tenant_id, practitioner_id) REFERENCES practitioner (tenant_id, id)
);
CREATE INDEX encounter_by_patient ON encounter (tenant_id, patient_id, opened_at DESC, id);

-- Vitals: typed observations with units (LOINC codes).
CREATE TABLE observation (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id   uuid NOT NULL,
  code         text NOT NULL,
  display      text NOT NULL,
  value        numeric NOT NULL,
  unit         text NOT NULL,
  recorded_by  uuid NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, encounter_id) REFERENCES encounter (tenant_id, id)
);
CREATE INDEX observation_by_encounter ON observation (tenant_id, encounter_id, recorded_at);

CREATE TABLE diagnosis (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id   uuid NOT NULL,
  code         text NOT NULL,
  display      text,
  recorded_by  uuid NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, encounter_id) REFERENCES encounter (tenant_id, id)
);
CREATE INDEX diagnosis_by_encounter ON diagnosis (tenant_id, encounter_id, recorded_at);
CREATE INDEX diagnosis_by_patient_code ON diagnosis (tenant_id, patient_id, code);

CREATE TABLE procedure_performed (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id   uuid NOT NULL,
  code         text NOT NULL,
  display      text,
  quantity     integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
  recorded_by  uuid NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, encounter_id) REFERENCES encounter (tenant_id, id)
);
CREATE INDEX procedure_by_encounter ON procedure_performed (tenant_id, encounter_id, recorded_at);

CREATE TABLE addendum (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id   uuid NOT NULL,
  text         text NOT NULL,
  author       uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, encounter_id) REFERENCES encounter (tenant_id, id)
);
CREATE INDEX addendum_by_encounter ON addendum (tenant_id, encounter_id, created_at);

CREATE TABLE lab_order (
  tenant_id            uuid NOT NULL,
  id                   uuid NOT NULL,
  direction            text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  counterpart_tenant_id uuid NOT NULL,
  counterpart_order_id uuid,
  link_id              uuid NOT NULL,
  patient_id           uuid NOT NULL,
  encounter_id         uuid,
  ordered_by           uuid,
  orderer_name         text NOT NULL,
  tests                jsonb NOT NULL,
  priority             text NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'urgent', 'stat')),
  note                 text,
  status               text NOT NULL CHECK (status IN ('sent', 'received', 'specimen_collected', 'in_progress',
                                                        'resulted', 'cancelled')),
  report               text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id)
);
CREATE INDEX lab_order_by_status ON lab_order (tenant_id, direction, status, created_at, id);
CREATE INDEX lab_order_by_patient ON lab_order (tenant_id, patient_id, created_at, id);
CREATE UNIQUE INDEX lab_order_by_counterpart ON lab_order (tenant_id, counterpart_tenant_id, counterpart_order_id)
  WHERE counterpart_order_id IS NOT NULL;

CREATE TABLE lab_result (
  tenant_id      uuid NOT NULL,
  id             uuid NOT NULL,
  order_id       uuid NOT NULL,
  patient_id     uuid NOT NULL,
  code           text NOT NULL,
  display        text NOT NULL,
  value_numeric  numeric,
  value_text     text,
  unit           text,
  reference_low  numeric,
  reference_high numeric,
  reference_text text,
  abnormal_flag  text NOT NULL CHECK (abnormal_flag IN ('N', 'L', 'H', 'LL', 'HH', 'A')),
  resulted_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES lab_order (tenant_id, id)
);
CREATE INDEX lab_result_by_order ON lab_result (tenant_id, order_id, code);
CREATE INDEX lab_result_by_patient ON lab_result (tenant_id, patient_id, code, resulted_at DESC);

CREATE TABLE prescription (
  tenant_id                   uuid NOT NULL,
  id                          uuid NOT NULL,
  direction                   text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  counterpart_tenant_id       uuid NOT NULL,
  counterpart_prescription_id uuid,
  link_id                     uuid NOT NULL,
  patient_id                  uuid NOT NULL,
  encounter_id                uuid,
  prescriber_user_id          uuid,
  prescriber_name             text NOT NULL,
  rxnorm_code                 text NOT NULL,
  drug_display                text NOT NULL,
  ingredients                 text[] NOT NULL,
  dose                        text NOT NULL,
  frequency                   text NOT NULL,
  quantity                    numeric NOT NULL CHECK (quantity > 0),
  refills                     integer NOT NULL CHECK (refills >= 0),
  days_supply                 integer NOT NULL CHECK (days_supply > 0),
  status                      text NOT NULL CHECK (status IN ('sent', 'received', 'dispensed', 'completed',
                                                              'cancelled')),
  fills                       integer NOT NULL DEFAULT 0,
  last_filled_at              timestamptz,
  interaction_review          jsonb,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  version                     integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id)
);
CREATE INDEX prescription_by_status ON prescription (tenant_id, direction, status, created_at, id);
CREATE INDEX prescription_by_patient ON prescription (tenant_id, patient_id, created_at, id);
CREATE UNIQUE INDEX prescription_by_counterpart ON prescription
  (tenant_id, counterpart_tenant_id, counterpart_prescription_id) WHERE counterpart_prescription_id IS NOT NULL;

CREATE TABLE dispense (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  prescription_id uuid NOT NULL,
  patient_id      uuid NOT NULL,
  fill_number     integer NOT NULL,
  lot             text NOT NULL,
  quantity        numeric NOT NULL CHECK (quantity > 0),
  dispensed_by    uuid NOT NULL,
  dispensed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT dispense_one_per_fill UNIQUE (tenant_id, prescription_id, fill_number),
  FOREIGN KEY (tenant_id, prescription_id) REFERENCES prescription (tenant_id, id)
);

-- A pharmacy's own additions to the shipped interaction knowledge base.
CREATE TABLE interaction_rule (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  ingredient_a text NOT NULL,
  ingredient_b text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('contraindicated', 'major', 'moderate')),
  effect       text NOT NULL,
  management   text NOT NULL,
  source       text NOT NULL,
  created_by   uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (ingredient_a <> ingredient_b)
);
CREATE INDEX interaction_rule_by_pair ON interaction_rule (tenant_id, ingredient_a, ingredient_b);

-- An insurer's members. The member id is sealed under the tenant's key; member_id_index is a keyed hash of it,
-- so an eligibility question can find the row without the id being stored in the clear.
CREATE TABLE coverage (
  tenant_id         uuid NOT NULL,
  id                uuid NOT NULL,
  patient_id        uuid NOT NULL,
  member_id_sealed  bytea NOT NULL,
  member_id_index   bytea NOT NULL,
  plan              text NOT NULL,
  status            text NOT NULL CHECK (status IN ('active', 'inactive')),
  period_start      date NOT NULL,
  period_end        date,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT coverage_member_unique UNIQUE (tenant_id, member_id_index),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id)
);

CREATE TABLE fee (
  tenant_id    uuid NOT NULL,
  cpt_code     text NOT NULL,
  display      text,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  currency     text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, cpt_code)
);

CREATE TABLE charge (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  encounter_id uuid NOT NULL,
  patient_id   uuid NOT NULL,
  procedure_id uuid NOT NULL,
  cpt_code     text NOT NULL,
  display      text,
  quantity     integer NOT NULL,
  unit_cents   bigint NOT NULL,
  amount_cents bigint NOT NULL,
  currency     text NOT NULL,
  claim_id     uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT charge_one_per_procedure UNIQUE (tenant_id, procedure_id),
  FOREIGN KEY (tenant_id, encounter_id) REFERENCES encounter (tenant_id, id)
);
CREATE INDEX charge_by_encounter ON charge (tenant_id, encounter_id);

CREATE TABLE claim (
  tenant_id             uuid NOT NULL,
  id                    uuid NOT NULL,
  direction             text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  counterpart_tenant_id uuid NOT NULL,
  counterpart_claim_id  uuid,
  link_id               uuid NOT NULL,
  patient_id            uuid NOT NULL,
  encounter_id          uuid,
  member_id_sealed      bytea,
  diagnoses             jsonb NOT NULL,
  lines                 jsonb NOT NULL,
  currency              text NOT NULL,
  total_cents           bigint NOT NULL,
  approved_cents        bigint,
  paid_cents            bigint NOT NULL DEFAULT 0,
  status                text NOT NULL CHECK (status IN ('submitted', 'adjudicated', 'paid', 'denied')),
  decision              text CHECK (decision IN ('approved', 'partially_approved', 'denied')),
  reasons               jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  version               integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id)
);
CREATE INDEX claim_by_status ON claim (tenant_id, direction, status, created_at, id);
CREATE INDEX claim_by_patient ON claim (tenant_id, patient_id, created_at, id);
CREATE UNIQUE INDEX claim_one_per_encounter ON claim (tenant_id, encounter_id) WHERE direction = 'outgoing';
CREATE UNIQUE INDEX claim_by_counterpart ON claim (tenant_id, counterpart_tenant_id, counterpart_claim_id)
  WHERE counterpart_claim_id IS NOT NULL;

-- Every cross-tenant message a tenant has applied, so a redelivery is recognised and applied only once.
CREATE TABLE exchange_inbox (
  tenant_id        uuid NOT NULL,
  message_id       uuid NOT NULL,
  source_tenant_id uuid NOT NULL,
  topic            text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, message_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['encounter', 'observation', 'diagnosis', 'procedure_performed', 'addendum', 'lab_order',
                           'lab_result', 'prescription', 'dispense', 'interaction_rule', 'coverage', 'fee',
                           'charge', 'claim', 'exchange_inbox']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I'
      || ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
      || ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
  END LOOP;
  -- A patient acting for themself sees only rows about themself.
  FOREACH t IN ARRAY ARRAY['encounter', 'observation', 'diagnosis', 'procedure_performed', 'addendum', 'lab_order',
                           'lab_result', 'prescription', 'dispense', 'coverage', 'charge', 'claim']
  LOOP
    EXECUTE format('CREATE POLICY patient_self ON %I AS RESTRICTIVE'
      || ' USING (nullif(current_setting(''app.patient_id'', true), '''') IS NULL'
      || ' OR patient_id = nullif(current_setting(''app.patient_id'', true), '''')::uuid)', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON encounter, observation, diagnosis, procedure_performed, addendum, lab_order,
  lab_result, prescription, dispense, coverage, fee, charge, claim, exchange_inbox TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON interaction_rule TO ${app_role};
