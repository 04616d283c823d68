-- Facilities (issue 15): the sites of a tenant, each with its address and, when it differs from the tenant's, its
-- own time zone. Departments, care teams, memberships and the scoped access policy build on this table (V31, V32);
-- practitioners, rooms and appointments name facilities (V33). Names are qualified and every statement may run
-- again (V12).

CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.facility (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- {"line": [...], "city", "postalCode", "state", "country"}, as the contract's Address.
  address    jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- An IANA zone; null means the tenant's own zone.
  time_zone  text,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  version    integer NOT NULL DEFAULT 1,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- A tenant names each of its sites once (case-insensitively); listings walk this index in name order.
CREATE UNIQUE INDEX IF NOT EXISTS facility_name ON ${flyway:defaultSchema}.facility (tenant_id, lower(name));
CREATE INDEX IF NOT EXISTS facility_by_name ON ${flyway:defaultSchema}.facility (tenant_id, lower(name), id);

DROP POLICY IF EXISTS tenant_isolation ON ${flyway:defaultSchema}.facility;
SELECT ${flyway:defaultSchema}.secure_tenant_table('${flyway:defaultSchema}.facility');
GRANT SELECT, INSERT, UPDATE ON ${flyway:defaultSchema}.facility TO ${app_role};
