-- Billing details found while building on the journey schema.

-- A claim carries what an insurer needs to adjudicate it: the date of service and the rendering provider
-- (name and NPI), as an 837P does.
ALTER TABLE claim ADD COLUMN service_date date, ADD COLUMN provider jsonb;

-- Each payment on a claim, at the insurer that made it and on the clinic's copy it was reported to.
CREATE TABLE claim_payment (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  claim_id     uuid NOT NULL,
  patient_id   uuid NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  reference    text,
  paid_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim (tenant_id, id)
);
CREATE INDEX claim_payment_by_claim ON claim_payment (tenant_id, claim_id, paid_at);

ALTER TABLE claim_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE claim_payment FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON claim_payment
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY patient_self ON claim_payment AS RESTRICTIVE
  USING (nullif(current_setting('app.patient_id', true), '') IS NULL
         OR patient_id = nullif(current_setting('app.patient_id', true), '')::uuid);

GRANT SELECT, INSERT ON claim_payment TO ${app_role};
-- A fee leaves the schedule when the clinic stops offering the service.
GRANT DELETE ON fee TO ${app_role};
-- Lists of coverage and charges are read newest last, by creation.
CREATE INDEX coverage_by_created ON coverage (tenant_id, created_at, id);
CREATE INDEX charge_by_created ON charge (tenant_id, created_at, id);

-- The insurer's copy of a claim names the member's coverage it matched, if any, for the adjudicator.
ALTER TABLE claim ADD COLUMN coverage_id uuid;
