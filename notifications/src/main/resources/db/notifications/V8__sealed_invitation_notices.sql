-- A patient invitation's single-use token used to rest in clear in its outbox notice, and so in every tenant
-- archive made of the outbox. Notices now carry the token sealed under the tenant's data key, and the engagement
-- intake emails it. The clear tokens of earlier notices cannot be sealed here (the keys are not in this database):
-- they are removed, with the notice's address, and the notice is closed as dead with the reason; the front desk
-- invites the patient again. Row-level security is forced on the table even for its owner, so the owner lifts it
-- for this migration's transaction only.
ALTER TABLE ${flyway:defaultSchema}.outbox_event NO FORCE ROW LEVEL SECURITY;
UPDATE ${flyway:defaultSchema}.outbox_event
   SET payload = payload - 'token' - 'email', status = 'dead',
       last_error = 'its invitation token rested in clear and was removed; invite the patient again'
 WHERE topic = 'invitation.patient' AND payload->>'token' IS NOT NULL;
ALTER TABLE ${flyway:defaultSchema}.outbox_event FORCE ROW LEVEL SECURITY;
