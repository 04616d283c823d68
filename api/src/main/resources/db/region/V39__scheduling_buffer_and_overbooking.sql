-- Booking obeys the "scheduling" configuration: a visit holds its practitioner until its end plus the buffer kept
-- free after it (held_until; null on visits booked before: their end), and with overbooking on, up to maxPerSlot
-- visits of a practitioner may overlap, each on its own seat (0 .. maxPerSlot - 1). The exclusion constraint stays the
-- one guarantee: no two held ranges of one practitioner overlap on one seat, so at any moment at most as many visits
-- overlap as there are seats, and of two concurrent bookings of the last seat one waits and then fails.
-- Names are qualified: the same migration builds tenant schemas. Every statement may run again (PlaceUpgradeTest).
ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS held_until timestamptz;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS seat smallint NOT NULL DEFAULT 0;
COMMENT ON COLUMN ${flyway:defaultSchema}.appointment.held_until IS
  'until when the visit holds its practitioner: its end plus the scheduling buffer; null means its end';
COMMENT ON COLUMN ${flyway:defaultSchema}.appointment.seat IS
  'which of the practitioner''s overbooking seats the visit holds (0 when overbooking is off)';
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_held_after_end;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_held_after_end
  CHECK (held_until IS NULL OR held_until >= ends_at);
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_no_double_booking;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_no_double_booking EXCLUDE USING gist (
  tenant_id WITH =, practitioner_id WITH =, seat WITH =, tstzrange(starts_at, COALESCE(held_until, ends_at)) WITH &&)
  WHERE (deleted_at IS NULL
    AND (status IN ('booked', 'checked_in') OR (status = 'fulfilled' AND overlap_allowed IS NOT TRUE)));
