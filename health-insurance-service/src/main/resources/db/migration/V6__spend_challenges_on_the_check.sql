-- Challenges are self-contained now (HMAC over expiry, random id and facility): issuing one writes nothing.
-- A card check records the challenge's random id; the UNIQUE constraint is what makes a challenge single-use,
-- also when the same signed challenge arrives twice at once (the second insert loses, nothing else is stored).
alter table eligibility_check add column nonce_id varchar(22);
alter table eligibility_check add constraint uq_eligibility_check_nonce unique (nonce_id);
alter table eligibility_check add constraint ck_eligibility_check_nonce check (nonce_id is null or method = 'card');

-- Nothing reads the old challenge rows any more; an old-format challenge in flight is answered challenge-unknown.
drop table eligibility_challenge;
