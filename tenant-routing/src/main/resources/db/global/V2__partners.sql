-- Partner links: the consent of two tenants to exchange one kind of item (lab orders, prescriptions, claims).
-- No cross-tenant traffic happens without an active link of the right scope.

CREATE TABLE partner_invitation (
  id                 uuid PRIMARY KEY,
  tenant_id          uuid NOT NULL REFERENCES tenant (id),
  scope              text NOT NULL CHECK (scope IN ('lab_orders', 'prescriptions', 'claims')),
  code_hash          bytea NOT NULL UNIQUE,
  invited_by         uuid NOT NULL REFERENCES app_user (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  answered_at        timestamptz,
  answered_by_tenant uuid REFERENCES tenant (id),
  answer             text CHECK (answer IN ('accepted', 'declined')),
  link_id            uuid
);
CREATE INDEX partner_invitation_tenant ON partner_invitation (tenant_id, created_at DESC, id);

-- requester: the tenant that sends the items (a clinic); partner: the one that serves them (lab, pharmacy,
-- insurer). A link across data regions carries the requester's explicit residency decision, or stays unusable.
CREATE TABLE partner_link (
  id                   uuid PRIMARY KEY,
  requester_tenant_id  uuid NOT NULL REFERENCES tenant (id),
  partner_tenant_id    uuid NOT NULL REFERENCES tenant (id),
  scope                text NOT NULL CHECK (scope IN ('lab_orders', 'prescriptions', 'claims')),
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  residency_basis      text,
  residency_decided_by uuid REFERENCES app_user (id),
  residency_decided_at timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  revoked_at           timestamptz,
  revoked_by_tenant    uuid REFERENCES tenant (id),
  CHECK (requester_tenant_id <> partner_tenant_id)
);
CREATE UNIQUE INDEX partner_link_one_active ON partner_link (requester_tenant_id, partner_tenant_id, scope)
  WHERE status = 'active';
CREATE INDEX partner_link_partner ON partner_link (partner_tenant_id, created_at);

GRANT SELECT, INSERT, UPDATE ON partner_invitation, partner_link TO ${app_role};
