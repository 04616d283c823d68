-- A repair of a tenant's audit chain: it re-seals the events after the last good link without touching any
-- stored row. The seals it supersedes (first_seal..last_seal) stay as evidence, pinned by superseded_digest; the
-- breaks verify found then are kept in breaks; who repaired, when and why are recorded. The record is itself a
-- link of the chain: repair_hash = sha256(anchor_hash || the record), and the next seal chains from it.
-- Append-only for the app role, like the seals (it may INSERT and SELECT, never UPDATE or DELETE).
CREATE TABLE ${flyway:defaultSchema}.audit_repair (
  tenant_id         uuid NOT NULL,
  seq               bigint NOT NULL,
  id                uuid NOT NULL,
  first_seal        bigint NOT NULL,
  last_seal         bigint NOT NULL,
  anchor_txid       xid8,
  anchor_event_id   uuid,
  anchor_hash       bytea NOT NULL,
  superseded_digest bytea NOT NULL,
  breaks            jsonb NOT NULL,
  reason            text NOT NULL CHECK (length(reason) BETWEEN 10 AND 2000),
  repaired_by       uuid NOT NULL,
  repaired_at       timestamptz NOT NULL,
  request_id        text NOT NULL,
  repair_hash       bytea NOT NULL,
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, id),
  CHECK (first_seal BETWEEN 1 AND last_seal),
  CHECK ((anchor_txid IS NULL) = (anchor_event_id IS NULL))
);
ALTER TABLE ${flyway:defaultSchema}.audit_repair ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${flyway:defaultSchema}.audit_repair FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${flyway:defaultSchema}.audit_repair
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON ${flyway:defaultSchema}.audit_repair TO ${app_role};
CREATE POLICY scanner_reads ON ${flyway:defaultSchema}.audit_repair FOR SELECT TO ${scanner_role} USING (true);
GRANT SELECT ON ${flyway:defaultSchema}.audit_repair TO ${scanner_role};

-- Verify asks which seals list an event (to tell an event sealed twice from one never sealed), and only when a
-- seal disagrees with the trail; btree_gin lets tenant_id lead the index.
CREATE INDEX audit_seal_events ON ${flyway:defaultSchema}.audit_seal USING gin (tenant_id, event_ids);

-- The sealer's head is its last seal, or the last repair when no seal follows it yet: the chain then goes on from
-- the repair's anchor (the last good link's event), chaining from the repair's hash.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.audit_unsealed_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
  WITH RECURSIVE tenants AS (
    (SELECT tenant_id FROM audit_event ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.tenant_id FROM audit_event e WHERE e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
    FROM tenants t WHERE t.tenant_id IS NOT NULL
  )
  SELECT t.tenant_id
  FROM tenants t
  LEFT JOIN LATERAL (
    SELECT h.last_txid, h.last_event_id FROM (
      (SELECT s.seq, s.last_txid, s.last_event_id, 0 AS pick FROM audit_seal s
        WHERE s.tenant_id = t.tenant_id ORDER BY s.seq DESC LIMIT 1)
      UNION ALL
      (SELECT r.last_seal, r.anchor_txid, r.anchor_event_id, 1 FROM audit_repair r
        WHERE r.tenant_id = t.tenant_id ORDER BY r.seq DESC LIMIT 1)
    ) h ORDER BY h.seq DESC, h.pick DESC LIMIT 1
  ) head ON true
  WHERE t.tenant_id IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM audit_event e
      WHERE e.tenant_id = t.tenant_id
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
        AND (head.last_txid IS NULL OR (e.txid, e.id) > (head.last_txid, head.last_event_id)))
$$;
