-- The request key that created a resident (Idempotency-Key, or batch id + record ref) moves onto the resident row:
-- one insert and one index per registration instead of two of each, which a national import pays 125 million times.
-- Uniqueness per client and key stays a database constraint.
alter table resident add column registration_client varchar(64);
alter table resident add column registration_key varchar(200);
alter table resident add column registration_hash varchar(64);
update resident set
    registration_client = (select k.client_id from registration_key k where k.resident_id = resident.id),
    registration_key = (select k.request_key from registration_key k where k.resident_id = resident.id),
    registration_hash = (select k.request_hash from registration_key k where k.resident_id = resident.id)
where exists (select 1 from registration_key k where k.resident_id = resident.id);
alter table resident add constraint uq_resident_registration unique (registration_client, registration_key);
alter table resident add constraint ck_resident_registration
    check ((registration_client is null) = (registration_key is null) and (registration_key is null) = (registration_hash is null));
drop table registration_key;
