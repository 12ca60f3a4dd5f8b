-- The point wallet: campaigns and their rules are data; the ledger is double-entry with immutable transfers.
-- Every limit (budget, per-person cap, non-negative balance, once per person per rule) is a constraint here,
-- so a race is settled by the database and not by a read-then-write in Java.

create sequence campaign_rule_seq start with 1001 increment by 50;
create sequence provider_seq start with 1 increment by 50;
create sequence merchant_seq start with 1 increment by 50;
create sequence payment_account_seq start with 1 increment by 50;
create sequence payment_choice_seq start with 1 increment by 50;
create sequence ledger_account_seq start with 1001 increment by 50;
create sequence grant_record_seq start with 1 increment by 50;
create sequence transfer_seq start with 1 increment by 50;
create sequence correction_seq start with 1 increment by 50;
create sequence idempotency_record_seq start with 1 increment by 50;

create table campaign (
    id         varchar(64)              not null,
    name       varchar(200)             not null,
    budget     bigint                   not null,
    granted    bigint                   not null,
    starts_at  timestamp with time zone not null,
    ends_at    timestamp with time zone not null,
    created_by varchar(100)             not null,
    created_at timestamp with time zone not null,
    constraint pk_campaign primary key (id),
    constraint ck_campaign_budget check (budget > 0),
    constraint ck_campaign_granted check (granted >= 0 and granted <= budget),
    constraint ck_campaign_period check (ends_at > starts_at)
);

create table campaign_rule (
    id          bigint      not null,
    campaign_id varchar(64) not null,
    rule        varchar(40) not null,
    kind        varchar(16) not null,
    amount      bigint,
    percent     integer,
    cap         bigint      not null,
    constraint pk_campaign_rule primary key (id),
    constraint uq_campaign_rule unique (campaign_id, rule),
    constraint fk_campaign_rule_campaign foreign key (campaign_id) references campaign (id),
    constraint ck_campaign_rule_kind check (
        (kind = 'fixed' and amount > 0 and cap = amount and percent is null)
        or (kind = 'percent-back' and percent between 1 and 100 and cap > 0 and amount is null))
);

-- A payment service (cashless provider) by corporate number, owned by the provider's OAuth client.
create table provider (
    id               bigint                   not null,
    corporate_number varchar(13)              not null,
    name             varchar(200)             not null,
    owner_client     varchar(100)             not null,
    created_at       timestamp with time zone not null,
    constraint pk_provider primary key (id),
    constraint uq_provider_corporate_number unique (corporate_number)
);

create table merchant (
    id               bigint                   not null,
    corporate_number varchar(13)              not null,
    name             varchar(200)             not null,
    registered_by    varchar(100)             not null,
    account_id       bigint                   not null,
    created_at       timestamp with time zone not null,
    constraint pk_merchant primary key (id),
    constraint uq_merchant_corporate_number unique (corporate_number)
);

-- An account at a payment service belongs to exactly one resident (by the wallet's link code), for good.
create table payment_account (
    id          bigint                   not null,
    provider_id bigint                   not null,
    account_ref varchar(64)              not null,
    resident    varchar(100)             not null,
    created_at  timestamp with time zone not null,
    constraint pk_payment_account primary key (id),
    constraint uq_payment_account unique (provider_id, account_ref),
    constraint fk_payment_account_provider foreign key (provider_id) references provider (id)
);

-- The resident's one choice per campaign; it cannot be changed.
create table payment_choice (
    id                 bigint                   not null,
    campaign_id        varchar(64)              not null,
    resident           varchar(100)             not null,
    payment_account_id bigint                   not null,
    chosen_at          timestamp with time zone not null,
    constraint pk_payment_choice primary key (id),
    constraint uq_payment_choice_resident unique (resident, campaign_id),
    constraint uq_payment_choice_account unique (payment_account_id, campaign_id),
    constraint fk_payment_choice_campaign foreign key (campaign_id) references campaign (id),
    constraint fk_payment_choice_account foreign key (payment_account_id) references payment_account (id)
);

-- balance = credits - debits, kept in the same transaction as each transfer. Only the campaign's budget
-- source may go below zero (it is where granted points come from: -balance = granted).
create table ledger_account (
    id          bigint       not null,
    campaign_id varchar(64),
    kind        varchar(16)  not null,
    owner       varchar(100) not null,
    balance     bigint       not null,
    debits      bigint       not null,
    credits     bigint       not null,
    constraint pk_ledger_account primary key (id),
    constraint uq_ledger_account_owner unique (kind, owner, campaign_id),
    constraint fk_ledger_account_campaign foreign key (campaign_id) references campaign (id),
    constraint ck_ledger_account_kind check (kind in ('budget', 'resident', 'merchant')),
    constraint ck_ledger_account_balance check (kind = 'budget' or balance >= 0),
    constraint ck_ledger_account_totals check (debits >= 0 and credits >= 0 and balance = credits - debits)
);

-- Once per person per rule; for percent-back rules the running total, never above the cap.
create table grant_record (
    id          bigint                   not null,
    campaign_id varchar(64)              not null,
    resident    varchar(100)             not null,
    rule        varchar(40)              not null,
    granted     bigint                   not null,
    cap         bigint                   not null,
    transfer_id bigint,
    created_at  timestamp with time zone not null,
    constraint pk_grant_record primary key (id),
    constraint uq_grant_record unique (campaign_id, resident, rule),
    constraint fk_grant_record_campaign foreign key (campaign_id) references campaign (id),
    constraint ck_grant_record_cap check (granted >= 0 and granted <= cap)
);

-- Immutable: the application has no update or delete path. (client_id, transfer_key) is the client-supplied id.
create table transfer (
    id                bigint                   not null,
    client_id         varchar(100)             not null,
    transfer_key      varchar(200)             not null,
    debit_account_id  bigint                   not null,
    credit_account_id bigint                   not null,
    amount            bigint                   not null,
    kind              varchar(20)              not null,
    rule              varchar(40),
    reference         varchar(200),
    reverses_id       bigint,
    created_at        timestamp with time zone not null,
    constraint pk_transfer primary key (id),
    constraint uq_transfer_key unique (client_id, transfer_key),
    constraint uq_transfer_reverses unique (reverses_id),
    constraint fk_transfer_debit foreign key (debit_account_id) references ledger_account (id),
    constraint fk_transfer_credit foreign key (credit_account_id) references ledger_account (id),
    constraint fk_transfer_reverses foreign key (reverses_id) references transfer (id),
    constraint ck_transfer_amount check (amount > 0),
    constraint ck_transfer_accounts check (debit_account_id <> credit_account_id),
    constraint ck_transfer_kind check (kind in ('grant', 'charge-back', 'redemption', 'correction'))
);
create index ix_transfer_debit on transfer (debit_account_id);
create index ix_transfer_credit on transfer (credit_account_id);

-- Maker-checker: proposed by one auditor, executed on approval by another.
create table correction (
    id                     bigint                   not null,
    transfer_id            bigint                   not null,
    reason                 varchar(500)             not null,
    proposed_by            varchar(100)             not null,
    proposed_at            timestamp with time zone not null,
    approved_by            varchar(100),
    approved_at            timestamp with time zone,
    correcting_transfer_id bigint,
    constraint pk_correction primary key (id),
    constraint uq_correction_transfer unique (transfer_id),
    constraint fk_correction_transfer foreign key (transfer_id) references transfer (id),
    constraint fk_correction_correcting foreign key (correcting_transfer_id) references transfer (id),
    constraint ck_correction_two_auditors check (approved_by is null or approved_by <> proposed_by)
);

create table idempotency_record (
    id            bigint                   not null,
    scope         varchar(100)             not null,
    idem_key      varchar(200)             not null,
    endpoint      varchar(100)             not null,
    request_hash  varchar(64)              not null,
    status        integer,
    response_body varchar(16000),
    created_at    timestamp with time zone not null,
    constraint pk_idempotency_record primary key (id),
    constraint uq_idempotency_record unique (scope, idem_key)
);

create table consumed_operation_token (
    jti         varchar(100)             not null,
    consumed_at timestamp with time zone not null,
    constraint pk_consumed_operation_token primary key (jti)
);
