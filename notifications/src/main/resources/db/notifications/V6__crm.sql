-- CRM: campaigns with segments and schedules, surveys with invitations and answers, preventive-care rules, and the
-- lease that lets one node at a time run each schedule.

-- One row per schedule in a region. A node runs a schedule only after moving next_run_at forward in one UPDATE,
-- so one node wins each run; after downtime the overdue schedule runs once, not once per missed interval.
CREATE TABLE engagement_schedule (
  name         text PRIMARY KEY,
  next_run_at  timestamptz NOT NULL DEFAULT now(),
  last_run_at  timestamptz,
  last_node    text
);
GRANT SELECT, INSERT, UPDATE ON engagement_schedule TO ${app_role};

CREATE TABLE care_rule (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  name             text NOT NULL,
  diagnosis_prefix text NOT NULL,
  loinc_code       text NOT NULL,
  interval_months  integer NOT NULL CHECK (interval_months BETWEEN 1 AND 60),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE survey (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('nps', 'satisfaction')),
  questions   jsonb NOT NULL,
  after_visit boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE campaign (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  name         text NOT NULL,
  segment      jsonb NOT NULL,
  content      jsonb NOT NULL,
  survey_id    uuid,
  schedule     jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled')),
  next_run_at  timestamptz,
  last_run_at  timestamptz,
  runs         integer NOT NULL DEFAULT 0,
  created_by   uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaign_due ON campaign (tenant_id, next_run_at) WHERE status = 'scheduled';
CREATE INDEX campaign_listing ON campaign (tenant_id, created_at DESC, id DESC);

-- A survey sent to a patient (after a visit, or with a campaign); answered once.
CREATE TABLE survey_invitation (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  survey_id    uuid NOT NULL,
  patient_id   uuid NOT NULL,
  cause        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  answered_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, survey_id, patient_id, cause),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES survey (tenant_id, id)
);
CREATE INDEX survey_invitation_by_patient ON survey_invitation (tenant_id, patient_id, created_at DESC);

CREATE TABLE survey_answer (
  tenant_id     uuid NOT NULL,
  invitation_id uuid NOT NULL,
  question_id   text NOT NULL,
  patient_id    uuid NOT NULL,
  score         integer,
  text_value    text,
  PRIMARY KEY (tenant_id, invitation_id, question_id),
  FOREIGN KEY (tenant_id, invitation_id) REFERENCES survey_invitation (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['care_rule', 'survey', 'campaign', 'survey_invitation', 'survey_answer'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I'
      || ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
      || ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
  END LOOP;
END $$;
CREATE POLICY patient_self ON survey_invitation AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);
CREATE POLICY patient_self ON survey_answer AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON care_rule TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON survey, campaign, survey_invitation TO ${app_role};
GRANT SELECT, INSERT ON survey_answer TO ${app_role};

-- Tenants with campaigns due, or with care rules, found without reading any tenant's rows.
CREATE POLICY scanner_reads ON campaign FOR SELECT TO ${scanner_role} USING (true);
CREATE POLICY scanner_reads ON care_rule FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON campaign, care_rule TO ${scanner_role};
CREATE FUNCTION crm_due_tenants(at timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT tenant_id FROM campaign WHERE status = 'scheduled' AND next_run_at <= at
  UNION
  SELECT tenant_id FROM care_rule
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION crm_due_tenants(timestamptz) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION crm_due_tenants(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_due_tenants(timestamptz) TO ${app_role};
