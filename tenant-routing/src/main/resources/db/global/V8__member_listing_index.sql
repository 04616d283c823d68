-- A tenant's members are listed by (created_at, user_id) (UserSql.MEMBERS): an index in that order lets each page
-- start at its cursor and stop at its end, where membership_tenant (tenant_id, user_id) read every member and sorted.
CREATE INDEX IF NOT EXISTS membership_by_created ON membership (tenant_id, created_at, user_id);
