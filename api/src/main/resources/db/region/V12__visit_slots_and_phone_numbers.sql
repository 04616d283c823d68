-- A visit keeps its slot once it has happened, and phone numbers are stored in E.164.
-- Names are qualified: the same migration builds tenant schemas, where public (the extensions) is also on the path.
-- Row-level security is forced on the owner too, so it is lifted for these statements and forced again at the end
-- (Flyway runs each migration in one transaction). Every statement may run again on a place whose history lost this
-- migration (PlaceUpgradeTest does that).
ALTER TABLE ${flyway:defaultSchema}.appointment NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.practitioner NO FORCE ROW LEVEL SECURITY;

-- 1. A fulfilled visit holds its slot like a booked or checked-in one; only cancelled and no-show visits free it.
-- The old rule let a slot be booked again over a fulfilled visit. Such visits are kept as they are (neither
-- history is rewritten) and marked, so the wider rule holds for everything else.
ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS overlap_allowed boolean;
COMMENT ON COLUMN ${flyway:defaultSchema}.appointment.overlap_allowed IS
  'true on a visit fulfilled before V12 that overlaps another visit of its practitioner; it does not hold its slot';
UPDATE ${flyway:defaultSchema}.appointment f SET overlap_allowed = true
WHERE f.status = 'fulfilled' AND f.deleted_at IS NULL AND EXISTS (
  SELECT 1 FROM ${flyway:defaultSchema}.appointment o
  WHERE o.tenant_id = f.tenant_id AND o.practitioner_id = f.practitioner_id AND o.id <> f.id
    AND o.deleted_at IS NULL AND (o.status IN ('booked', 'checked_in') OR (o.status = 'fulfilled' AND o.id < f.id))
    AND tstzrange(o.starts_at, o.ends_at) && tstzrange(f.starts_at, f.ends_at));
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_no_double_booking;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_no_double_booking EXCLUDE USING gist (
  tenant_id WITH =, practitioner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
  WHERE (deleted_at IS NULL
    AND (status IN ('booked', 'checked_in') OR (status = 'fulfilled' AND overlap_allowed IS NOT TRUE)));

-- 2. Phone numbers written in international format become E.164: '+' and the digits, without the separators and
-- without a "(0)" trunk mark ("+44 (0)20 7946 0000" is +442079460000). This is what libphonenumber gives for them,
-- so an inbound SMS from +15550107 finds a number saved as "+1 555 0107". A number written in national format needs
-- the tenant's country, which only the control plane knows: PhoneBackfill rewrites those after start-up, finding them
-- through this index (empty once it is done).
UPDATE ${flyway:defaultSchema}.patient
SET contact = jsonb_set(contact, '{phone}',
      to_jsonb('+' || regexp_replace(replace(contact->>'phone', '(0)', ''), '[^0-9]', '', 'g')))
WHERE contact->>'phone' ~ '^\s*\+' AND contact->>'phone' !~ '^\+[0-9]+$';
UPDATE ${flyway:defaultSchema}.practitioner
SET phone = '+' || regexp_replace(replace(phone, '(0)', ''), '[^0-9]', '', 'g')
WHERE phone ~ '^\s*\+' AND phone !~ '^\+[0-9]+$';

CREATE INDEX IF NOT EXISTS patient_phone_national ON ${flyway:defaultSchema}.patient (tenant_id)
  WHERE contact->>'phone' !~ '^\+';

ALTER TABLE ${flyway:defaultSchema}.appointment FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.patient FORCE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.practitioner FORCE ROW LEVEL SECURITY;
