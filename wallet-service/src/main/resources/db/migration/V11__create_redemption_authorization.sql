-- Two-phase redemptions (issue 23): a payment provider authorises an amount at a merchant, the points are held, then it
-- captures up to that amount or voids it; an authorisation not settled by expires_at expires and its hold returns.
-- Double entry: the hold is a transfer from the resident's account to the campaign's hold account (kind 'hold', never
-- below zero like every account but the budget); capture, void and expiry release it back ('release', once per
-- authorisation: transfer key "release:<id>"), and a capture then redeems the captured amount at the merchant (an
-- ordinary 'redemption' from the resident's account). So a hold account's balance is the sum of pending amounts.

alter table ledger_account drop constraint ck_ledger_account_kind;
alter table ledger_account add constraint ck_ledger_account_kind check (kind in ('budget', 'resident', 'merchant', 'hold'));
alter table transfer drop constraint ck_transfer_kind;
alter table transfer add constraint ck_transfer_kind
    check (kind in ('grant', 'charge-back', 'redemption', 'correction', 'hold', 'release'));

-- One hold account per campaign (new campaigns open theirs with their budget account).
insert into ledger_account (id, campaign_id, kind, owner, balance, debits, credits)
    select nextval('ledger_account_seq'), id, 'hold', 'holds', 0, 0, 0 from campaign;

create sequence redemption_authorization_seq start with 1 increment by 50;

create table redemption_authorization (
    id                  bigint                   not null,
    campaign_id         varchar(64)              not null,
    client_id           varchar(100)             not null,
    resident            varchar(100)             not null,
    payment_account     varchar(64)              not null,
    account_id          bigint                   not null,
    merchant            varchar(13)              not null,
    merchant_account_id bigint                   not null,
    amount              bigint                   not null,
    captured            bigint,
    status              varchar(16)              not null,
    expires_at          timestamp with time zone not null,
    created_at          timestamp with time zone not null,
    settled_at          timestamp with time zone,
    hold_transfer_id    bigint                   not null,
    release_transfer_id bigint,
    capture_transfer_id bigint,
    constraint pk_redemption_authorization primary key (id),
    constraint fk_redemption_authorization_campaign foreign key (campaign_id) references campaign (id),
    constraint fk_redemption_authorization_account foreign key (account_id) references ledger_account (id),
    constraint fk_redemption_authorization_merchant foreign key (merchant_account_id) references ledger_account (id),
    constraint fk_redemption_authorization_hold foreign key (hold_transfer_id) references transfer (id),
    constraint fk_redemption_authorization_release foreign key (release_transfer_id) references transfer (id),
    constraint fk_redemption_authorization_capture foreign key (capture_transfer_id) references transfer (id),
    constraint ck_redemption_authorization_amount check (amount > 0),
    constraint ck_redemption_authorization_status check (status in ('pending', 'captured', 'voided', 'expired')),
    -- settled exactly when no longer pending, and every settlement released the hold
    constraint ck_redemption_authorization_settled check (
        (status = 'pending' and settled_at is null and release_transfer_id is null)
        or (status <> 'pending' and settled_at is not null and release_transfer_id is not null)),
    -- a capture takes 1..amount and has its redemption transfer; nothing else captures
    constraint ck_redemption_authorization_captured check (
        (status = 'captured' and captured between 1 and amount and capture_transfer_id is not null)
        or (status <> 'captured' and captured is null and capture_transfer_id is null))
);
-- The expiry sweep: pending authorisations by deadline.
create index ix_redemption_authorization_due on redemption_authorization (status, expires_at);
