-- The resident's access log shows who read their data by the organisation's name as well as its client id: the name
-- is kept with the client (set from configuration) and joined when the log is read.
alter table oauth_client add column organisation_name varchar(200);

-- Rows delivered by the other services' outboxes carry the delivering service and its own row id: a redelivery of
-- one row inserts nothing (UNIQUE), so delivery can be at least once. Rows the registry writes itself have neither.
alter table access_log add column source varchar(64);
alter table access_log add column source_id bigint;
alter table access_log add constraint uq_access_log_source unique (source, source_id);
alter table access_log add constraint ck_access_log_source check ((source is null) = (source_id is null));

-- Keyset paging: a resident's rows newest first by (at, id); an organisation's rows over a period for auditors.
create index ix_access_log_resident_at_id on access_log (resident_id, at, id);
drop index ix_access_log_resident;
create index ix_access_log_actor_at_id on access_log (actor, at, id);
