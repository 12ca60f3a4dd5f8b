-- DESIGN §6.2: a payment account is bound to a resident only once its provider confirmed it. The resident starts a
-- binding (status 'pending', a short single-use code, of which only a hash is kept); the provider confirms the code
-- with its own account reference and its holder's name in kana, which the registry matches against the resident's.
-- Bindings made before this migration were never confirmed: 'unconfirmed', they earn nothing until confirmed.
alter table payment_choice add column status varchar(16) default 'unconfirmed' not null;
alter table payment_choice alter column status drop default;
alter table payment_choice add column provider_id bigint;
update payment_choice set provider_id = (select pa.provider_id from payment_account pa where pa.id = payment_choice.payment_account_id);
alter table payment_choice alter column provider_id set not null;
alter table payment_choice alter column payment_account_id drop not null;
alter table payment_choice add column binding_code_hash varchar(64);
alter table payment_choice add column binding_expires_at timestamp with time zone;
alter table payment_choice add column binding_attempts integer default 0 not null;
alter table payment_choice add column confirmed_at timestamp with time zone;
alter table payment_choice add column confirmed_by varchar(100);
alter table payment_choice add constraint ck_payment_choice_status check (status in ('pending', 'confirmed', 'unconfirmed'));
alter table payment_choice add constraint ck_payment_choice_confirmed
    check (status <> 'confirmed' or (payment_account_id is not null and confirmed_at is not null));
alter table payment_choice add constraint uq_payment_choice_binding_code unique (binding_code_hash);
alter table payment_choice add constraint fk_payment_choice_provider foreign key (provider_id) references provider (id);

-- A provider's release of a wrongly bound account, with its reason; points already earned stay where they are.
create sequence payment_release_seq start with 1 increment by 50;
create table payment_release (
    id          bigint                   not null,
    campaign_id varchar(64)              not null,
    resident    varchar(100)             not null,
    provider_id bigint                   not null,
    account_ref varchar(64)              not null,
    reason      varchar(200)             not null,
    released_by varchar(100)             not null,
    released_at timestamp with time zone not null,
    constraint pk_payment_release primary key (id),
    constraint fk_payment_release_provider foreign key (provider_id) references provider (id)
);
