-- The reminder scheduler finds tenants with upcoming booked appointments or dispensed prescriptions with refills
-- left, without reading any tenant's rows: this function, owned by the NOLOGIN scanner role, returns tenant ids only.
CREATE POLICY scanner_reads ON appointment FOR SELECT TO ${scanner_role} USING (true);
CREATE POLICY scanner_reads ON prescription FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON appointment, prescription TO ${scanner_role};
CREATE FUNCTION reminder_tenants(at timestamptz, horizon_minutes integer) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT tenant_id FROM appointment
  WHERE status = 'booked' AND deleted_at IS NULL
    AND starts_at > at AND starts_at <= at + horizon_minutes * interval '1 minute'
  UNION
  SELECT DISTINCT tenant_id FROM prescription
  WHERE direction = 'incoming' AND status = 'dispensed' AND fills <= refills
$$;
GRANT CREATE ON SCHEMA public TO ${scanner_role};
ALTER FUNCTION reminder_tenants(timestamptz, integer) OWNER TO ${scanner_role};
REVOKE CREATE ON SCHEMA public FROM ${scanner_role};
REVOKE ALL ON FUNCTION reminder_tenants(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reminder_tenants(timestamptz, integer) TO ${app_role};

-- An inbound STOP finds the tenant's patients by phone number.
CREATE INDEX patient_by_phone ON patient (tenant_id, (contact->>'phone')) WHERE deleted_at IS NULL;
