-- What the registry told this service about the cards behind its link codes (card-revoked, card-suspended,
-- card-resumed events). A resident or operation token made with a revoked card, or with a suspended one, is refused.
-- card_ref is the card's reference for this service, as in the tokens' "card" claim; '' when the event named no
-- card, and then every token of that link code issued up to "since" is void.
create table card_standing (
    link_code  varchar(32)  not null,
    card_ref   varchar(64)  not null,
    status     varchar(10)  not null,
    since      timestamp with time zone not null,
    constraint pk_card_standing primary key (link_code, card_ref),
    constraint ck_card_standing_status check (status in ('revoked', 'suspended', 'resumed'))
);
