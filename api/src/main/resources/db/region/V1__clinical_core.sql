-- A regional database holds the PHI of the tenants whose data_region it serves.
-- Every table: tenant_id leads the primary key and every index; row-level security is enabled and forced with
-- the tenant policy; the app role gets only the privileges it needs.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE patient (
  tenant_id                  uuid NOT NULL,
  id                         uuid NOT NULL,
  mrn                        text NOT NULL,
  family_name                text NOT NULL,
  given_name                 text,
  birth_date                 date,
  sex                        text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  preferred_language         text,
  contact                    jsonb,
  insurance                  jsonb,
  insurance_member_id_sealed bytea,
  national_id_sealed         bytea,
  clinical                   jsonb,
  version                    integer NOT NULL DEFAULT 1,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  created_by                 uuid NOT NULL,
  updated_by                 uuid NOT NULL,
  deleted_at                 timestamptz,
  -- Every word of the name, each preceded by a space, so "% elena%" finds the start of any word.
  search_text                text GENERATED ALWAYS AS
                               (' ' || lower(family_name) || ' ' || coalesce(lower(given_name), '')) STORED,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT patient_mrn_unique UNIQUE (tenant_id, mrn)
);
CREATE INDEX patient_by_family ON patient (tenant_id, lower(family_name), id) WHERE deleted_at IS NULL;
CREATE INDEX patient_by_name_words ON patient USING gin (tenant_id, search_text gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX patient_by_birth_date ON patient (tenant_id, birth_date) WHERE deleted_at IS NULL;

CREATE TABLE practitioner (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  user_id     uuid,
  family_name text NOT NULL,
  given_name  text,
  specialty   text,
  npi         text,
  email       text,
  phone       text,
  active      boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT practitioner_user_unique UNIQUE (tenant_id, user_id)
);
CREATE INDEX practitioner_by_family ON practitioner (tenant_id, lower(family_name), id);

CREATE TABLE appointment (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  patient_id      uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked', 'checked_in', 'fulfilled', 'cancelled', 'no_show')),
  reason          text,
  status_reason   text,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid NOT NULL,
  updated_by      uuid NOT NULL,
  deleted_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT appointment_patient_fk FOREIGN KEY (tenant_id, patient_id) REFERENCES patient (tenant_id, id),
  CONSTRAINT appointment_practitioner_fk FOREIGN KEY (tenant_id, practitioner_id)
    REFERENCES practitioner (tenant_id, id),
  CONSTRAINT appointment_ends_after_start CHECK (ends_at > starts_at),
  -- A practitioner can never hold two overlapping active bookings.
  CONSTRAINT appointment_no_double_booking EXCLUDE USING gist (
    tenant_id WITH =, practitioner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status IN ('booked', 'checked_in') AND deleted_at IS NULL)
);
CREATE INDEX appointment_by_start ON appointment (tenant_id, starts_at, id) WHERE deleted_at IS NULL;
CREATE INDEX appointment_by_practitioner ON appointment (tenant_id, practitioner_id, starts_at, id)
  WHERE deleted_at IS NULL;
CREATE INDEX appointment_by_patient ON appointment (tenant_id, patient_id, starts_at, id) WHERE deleted_at IS NULL;

-- Replies to tenant-scoped POSTs, written in the same transaction as the change they report. A reply can hold
-- PHI (even decrypted identifiers), so its body is sealed under the tenant's key like any identifier; a replay
-- is audited against patient_ids.
CREATE TABLE idempotency_record (
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  idem_key    text NOT NULL,
  operation   text NOT NULL,
  fingerprint bytea NOT NULL,
  status_code integer NOT NULL,
  headers     jsonb NOT NULL,
  body_sealed bytea,
  patient_ids uuid[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, idem_key)
);
CREATE INDEX idempotency_record_age ON idempotency_record (tenant_id, created_at);

-- The audit trail: append-only for the app role (it has no UPDATE or DELETE). txid is the inserting
-- transaction, so the sealer can chain rows in commit-safe order: a row below the snapshot's xmin is final.
CREATE TABLE audit_event (
  tenant_id         uuid NOT NULL,
  id                uuid NOT NULL,
  txid              xid8 NOT NULL DEFAULT pg_current_xact_id(),
  occurred_at       timestamptz NOT NULL,
  actor_user_id     uuid NOT NULL,
  actor_roles       text[] NOT NULL,
  action            text NOT NULL,
  resource_type     text NOT NULL,
  resource_id       uuid,
  patient_ids       uuid[] NOT NULL DEFAULT '{}',
  outcome           text NOT NULL CHECK (outcome IN ('success', 'denied', 'not_found', 'failed')),
  request_id        text NOT NULL,
  client_address    text,
  partner_tenant_id uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_event_chain ON audit_event (tenant_id, txid, id);
CREATE INDEX audit_event_recent ON audit_event (tenant_id, occurred_at DESC, id DESC);

-- Seals hash-chain a tenant's events in batches. event_hashes[i] = sha256(event_hashes[i-1] || event i), the
-- first link chaining from the previous seal's seal_hash, so verify can name the first altered event.
CREATE TABLE audit_seal (
  tenant_id     uuid NOT NULL,
  seq           bigint NOT NULL,
  last_txid     xid8 NOT NULL,
  last_event_id uuid NOT NULL,
  event_ids     uuid[] NOT NULL,
  event_hashes  bytea[] NOT NULL,
  prev_hash     bytea NOT NULL,
  seal_hash     bytea NOT NULL,
  sealed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patient', 'practitioner', 'appointment', 'idempotency_record', 'audit_event', 'audit_seal']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I'
      || ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
      || ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
  END LOOP;
END $$;

-- A patient acting for themself sees only their own record and appointments, even if a service forgot to filter.
CREATE POLICY patient_self ON patient AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR id = nullif(current_setting('app.patient_id', true), '')::uuid);
CREATE POLICY patient_self ON appointment AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON patient, practitioner, appointment TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_record TO ${app_role};
GRANT SELECT, INSERT ON audit_event, audit_seal TO ${app_role};

-- The sealer must find which tenants have unsealed events without reading any tenant's rows. This function,
-- owned by the NOLOGIN scanner role (the only role whose policies span tenants, and only for SELECT on the audit
-- tables), returns tenant ids and nothing else. It walks the (tenant_id, txid, id) index with a loose index scan.
CREATE POLICY scanner_reads ON audit_event FOR SELECT TO ${scanner_role} USING (true);
CREATE POLICY scanner_reads ON audit_seal FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON audit_event, audit_seal TO ${scanner_role};

CREATE FUNCTION audit_unsealed_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM audit_event ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.tenant_id FROM audit_event e WHERE e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id
  FROM tenants t
  LEFT JOIN LATERAL (
    SELECT s.last_txid, s.last_event_id FROM audit_seal s WHERE s.tenant_id = t.tenant_id ORDER BY s.seq DESC LIMIT 1
  ) head ON true
  WHERE t.tenant_id IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM audit_event e
      WHERE e.tenant_id = t.tenant_id
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
        AND (head.last_txid IS NULL OR (e.txid, e.id) > (head.last_txid, head.last_event_id)))
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION audit_unsealed_tenants() OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION audit_unsealed_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_unsealed_tenants() TO ${app_role};
