-- The portal asks the resident's card to approve one act (apply for points, register a public-fund account, choose
-- a payment service) the way it asks for a login (RFC 8628's shape): the card app shows the act before the PIN. An
-- act is bound to the resident whose portal login asked for it (for_resident_id): another person's card cannot
-- approve it, so a relayed code gains the relayer nothing. Redeemed, it yields a single-use operation token.
alter table device_authorization add column operation varchar(40);
alter table device_authorization add column audience varchar(16);
alter table device_authorization add column act_detail varchar(200);
alter table device_authorization add column for_resident_id bigint;
alter table device_authorization add constraint ck_device_authorization_act
    check ((operation is null) = (audience is null) and (operation is null) = (for_resident_id is null));
