-- Organisations that obtain tokens by OAuth2 client credentials. Secrets are bcrypt hashes.
create table oauth_client (
    client_id    varchar(64)  primary key,
    secret_hash  varchar(100) not null,
    roles        varchar(200) not null,
    created_at   timestamp with time zone not null
);

create sequence resident_seq start with 1 increment by 50;

-- The individual number is never stored in the clear: AES-GCM ciphertext plus an HMAC for look-up.
create table resident (
    id               bigint       primary key,
    number_hmac      varchar(64)  not null,
    number_cipher    varchar(120) not null,
    family_name      varchar(100) not null,
    given_name       varchar(100) not null,
    family_name_kana varchar(200) not null,
    given_name_kana  varchar(200) not null,
    date_of_birth    date         not null,
    sex              varchar(6)   not null,
    postal_code      varchar(7)   not null,
    prefecture       varchar(10)  not null,
    municipality     varchar(100) not null,
    address_line     varchar(200) not null,
    status           varchar(10)  not null,
    deceased_on      date,
    version          bigint       not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    constraint uq_resident_number_hmac unique (number_hmac),
    constraint ck_resident_sex check (sex in ('male', 'female')),
    constraint ck_resident_status check (status in ('active', 'deceased')),
    constraint ck_resident_deceased check ((status = 'deceased') = (deceased_on is not null)),
    constraint ck_resident_postal check (length(postal_code) = 7)
);
create index ix_resident_prefecture on resident (prefecture);

-- Every registration carries a key (Idempotency-Key, or batch id + record ref) so a retry cannot duplicate.
create table registration_key (
    client_id     varchar(64)  not null,
    request_key   varchar(200) not null,
    request_hash  varchar(64)  not null,
    resident_id   bigint       not null references resident (id),
    created_at    timestamp with time zone not null,
    constraint pk_registration_key primary key (client_id, request_key)
);

create sequence resident_change_seq start with 1 increment by 50;

-- History of moves, name changes and deaths: the values before the change.
create table resident_change (
    id            bigint       primary key,
    resident_id   bigint       not null references resident (id),
    kind          varchar(10)  not null,
    before_state  varchar(2000) not null,
    changed_by    varchar(64)  not null,
    changed_at    timestamp with time zone not null,
    constraint ck_resident_change_kind check (kind in ('move', 'rename', 'death'))
);
create index ix_resident_change_resident on resident_change (resident_id);

create sequence access_log_seq start with 1 increment by 50;

-- What the resident will see: who touched their data, in which role, why, which fields, when.
create table access_log (
    id            bigint       primary key,
    resident_id   bigint       not null references resident (id),
    actor         varchar(64)  not null,
    actor_role    varchar(32)  not null,
    action        varchar(16)  not null,
    purpose       varchar(100) not null,
    fields        varchar(300) not null,
    at            timestamp with time zone not null
);
create index ix_access_log_resident on access_log (resident_id, at);
