-- 公金受取口座: one per resident, and one account (bank, branch, type, number) belongs to one resident only.
create table public_fund_account (
    resident_id     bigint       primary key,
    bank_code       varchar(4)   not null,
    branch_code     varchar(3)   not null,
    account_type    varchar(10)  not null,
    account_number  varchar(7)   not null,
    holder_kana     varchar(200) not null,
    registered_at   timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint fk_public_fund_account_resident foreign key (resident_id) references resident (id),
    constraint uq_public_fund_account_account unique (bank_code, branch_code, account_type, account_number),
    constraint ck_public_fund_account_type check (account_type in ('ordinary', 'current', 'savings'))
);
