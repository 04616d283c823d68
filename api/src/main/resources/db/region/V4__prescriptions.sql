-- Details of the e-prescription schema found while building the pharmacy flow.

-- The prescriber's note to the pharmacist (for example "may substitute a generic") travels with the prescription.
ALTER TABLE prescription ADD COLUMN note text;

-- A pharmacy states each of its own interaction rules once per ingredient pair; the service stores the pair in a
-- canonical order (the lower code first), so the same pair cannot be added twice in the two orders.
CREATE UNIQUE INDEX interaction_rule_one_per_pair ON interaction_rule (tenant_id, ingredient_a, ingredient_b);
DROP INDEX interaction_rule_by_pair;

-- The interaction check reads the patient's other prescriptions at the pharmacy that are still active.
CREATE INDEX prescription_active_by_patient ON prescription (tenant_id, patient_id, status)
  WHERE direction = 'incoming' AND status IN ('received', 'dispensed', 'completed');
