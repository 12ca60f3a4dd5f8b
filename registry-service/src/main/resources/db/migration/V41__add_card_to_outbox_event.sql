-- A card event (revoked, suspended, resumed) names the card by its authentication certificate, so that each
-- subscriber can be told which card's tokens are void (as a pairwise reference, computed at delivery).
alter table outbox_event add column card_serial varchar(40);
alter table outbox_event add constraint fk_outbox_event_card_serial foreign key (card_serial) references certificate (serial);
