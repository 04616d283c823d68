-- Scheduling by facility (issue 15): the facilities a practitioner serves, the rooms of a facility (shared by the
-- practitioners who work there), and the facility and room an appointment names. A room holds one visit at a time,
-- as a practitioner does (the same exclusion rule as appointment_no_double_booking, V12). Listings by facility and by
-- room walk their own index in start order. Names are qualified and every statement may run again (V12).

-- 1. The facilities each practitioner serves (a practitioner may serve several; a facility has several).
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.practitioner_facility (
  tenant_id       uuid NOT NULL,
  practitioner_id uuid NOT NULL,
  facility_id     uuid NOT NULL,
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, practitioner_id, facility_id),
  CONSTRAINT practitioner_facility_practitioner_fk FOREIGN KEY (tenant_id, practitioner_id)
    REFERENCES ${flyway:defaultSchema}.practitioner (tenant_id, id),
  CONSTRAINT practitioner_facility_facility_fk FOREIGN KEY (tenant_id, facility_id)
    REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS practitioner_facility_by_facility
  ON ${flyway:defaultSchema}.practitioner_facility (tenant_id, facility_id, practitioner_id);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.practitioner_facility;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.practitioner_facility');
GRANT SELECT, INSERT, DELETE ON ${flyway:defaultSchema}.practitioner_facility TO ${app_role};

-- 2. Rooms: each belongs to one facility for good (appointments name the pair); a retired room takes no booking.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.room (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  facility_id uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL DEFAULT 'exam' CHECK (kind IN ('exam', 'procedure', 'consultation', 'other')),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  version     integer NOT NULL DEFAULT 1,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- What an appointment's (facility, room) pair references, so a room is always one of its visit's facility.
  CONSTRAINT room_in_facility UNIQUE (tenant_id, facility_id, id),
  CONSTRAINT room_facility_fk FOREIGN KEY (tenant_id, facility_id)
    REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id)
);
-- A facility names each room once (case-insensitively); listings walk this index in name order.
CREATE UNIQUE INDEX IF NOT EXISTS room_name ON ${flyway:defaultSchema}.room (tenant_id, facility_id, lower(name));
CREATE INDEX IF NOT EXISTS room_by_name ON ${flyway:defaultSchema}.room (tenant_id, lower(name), id);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.room;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.room');
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.room TO ${app_role};

-- 3. The facility and room of an appointment: both optional (a tenant without facilities, a virtual visit).
ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS facility_id uuid;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD COLUMN IF NOT EXISTS room_id uuid;
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_facility_fk;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_facility_fk FOREIGN KEY (tenant_id, facility_id)
  REFERENCES ${flyway:defaultSchema}.facility (tenant_id, id);
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_room_fk;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_room_fk
  FOREIGN KEY (tenant_id, facility_id, room_id) REFERENCES ${flyway:defaultSchema}.room (tenant_id, facility_id, id);
-- MATCH SIMPLE skips a key with a null: a room without its facility would escape appointment_room_fk.
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_room_has_facility;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_room_has_facility
  CHECK (room_id IS NULL OR facility_id IS NOT NULL);
-- A room holds one visit at a time, whoever the practitioners; the slot is held as the practitioner's is (V12).
ALTER TABLE ${flyway:defaultSchema}.appointment DROP CONSTRAINT IF EXISTS appointment_no_room_double_booking;
ALTER TABLE ${flyway:defaultSchema}.appointment ADD CONSTRAINT appointment_no_room_double_booking EXCLUDE USING gist (
  tenant_id WITH =, room_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
  WHERE (room_id IS NOT NULL AND deleted_at IS NULL
    AND (status IN ('booked', 'checked_in') OR (status = 'fulfilled' AND overlap_allowed IS NOT TRUE)));

-- The front desk's day at one site, and one room's day, in start order (the listing's keyset walks them).
CREATE INDEX IF NOT EXISTS appointment_by_facility ON ${flyway:defaultSchema}.appointment
  (tenant_id, facility_id, starts_at, id) WHERE deleted_at IS NULL AND facility_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS appointment_by_room ON ${flyway:defaultSchema}.appointment
  (tenant_id, room_id, starts_at, id) WHERE deleted_at IS NULL AND room_id IS NOT NULL;
