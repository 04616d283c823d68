-- Indexes in the order the listings read (issue 17). A listing without filters walked another index (by patient,
-- by status) over the whole tenant and sorted what it found, so its first page cost the tenant's size; with an
-- index in its own order, the generic plan walks from the cursor and stops at the page (KeysetPlanTest).
-- Names are qualified and every statement may run again (see V12).
CREATE INDEX IF NOT EXISTS encounter_by_opened ON ${flyway:defaultSchema}.encounter (tenant_id, opened_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS lab_order_by_created ON ${flyway:defaultSchema}.lab_order (tenant_id, created_at, id);
CREATE INDEX IF NOT EXISTS prescription_by_created ON ${flyway:defaultSchema}.prescription (tenant_id, created_at, id);
CREATE INDEX IF NOT EXISTS claim_by_created ON ${flyway:defaultSchema}.claim (tenant_id, created_at, id);
