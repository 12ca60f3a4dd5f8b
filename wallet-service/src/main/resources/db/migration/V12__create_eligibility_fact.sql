-- The registry's facts a grant needs (issue 18 §2), as its eligibility-facts events told them: whether the person's card
-- is active and a public-fund account is registered, one row per person (the wallet's link code). Each event's facts
-- were read when it was delivered and carry the registry's sequence of that read: a row is replaced only by facts of a
-- higher sequence, so a late, older event can never undo a newer one. A grant decides from its row only while the
-- feed's low watermark is within myna.card-standing.max-staleness; otherwise, or without a row, it asks the registry.
create table eligibility_fact (
    link_code            varchar(32)  primary key,
    card_active          boolean      not null,
    public_fund_account  boolean      not null,
    registry_sequence    bigint       not null,
    updated_at           timestamp with time zone not null,
    constraint ck_eligibility_fact_sequence check (registry_sequence > 0)
);
