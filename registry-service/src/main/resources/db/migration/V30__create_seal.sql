create sequence seal_seq start with 1 increment by 50;

-- A registered seal (印鑑登録). active_resident_id is set only while the seal is active: the unique constraint on
-- it allows one active seal per resident (NULLs do not collide, on H2 and on PostgreSQL alike) and any number of
-- de-registered ones. version counts changes; a certificate records the version it was issued against.
create table seal (
    id                        bigint       primary key,
    resident_id               bigint       not null,
    active_resident_id        bigint,
    registration_card_number  varchar(32)  not null,
    status                    varchar(16)  not null,
    image_sha256              varchar(64)  not null,
    media_type                varchar(16)  not null,
    version                   bigint       not null,
    registered_at             timestamp with time zone not null,
    deregistered_at           timestamp with time zone,
    deregistration_reason     varchar(32),
    constraint fk_seal_resident foreign key (resident_id) references resident (id),
    constraint uq_seal_active_resident unique (active_resident_id),
    constraint uq_seal_registration_card unique (registration_card_number),
    -- lets a certificate's foreign key pin its subject to the seal's owner
    constraint uq_seal_id_resident unique (id, resident_id),
    constraint ck_seal_status check (status in ('active', 'deregistered')),
    constraint ck_seal_state check (
        (status = 'active' and active_resident_id = resident_id and deregistered_at is null and deregistration_reason is null)
        or (status = 'deregistered' and active_resident_id is null and deregistered_at is not null and deregistration_reason is not null)),
    constraint ck_seal_media_type check (media_type in ('image/png', 'image/jpeg'))
);
create index ix_seal_resident on seal (resident_id);

-- The impression itself, apart from the seal row that every issuance locks and reads.
create table seal_image (
    seal_id  bigint  primary key,
    image    bytea   not null,
    constraint fk_seal_image_seal foreign key (seal_id) references seal (id)
);

create sequence seal_certificate_seq start with 1 increment by 50;

-- Issued seal certificates (印鑑登録証明書). The verification code is kept only as its SHA-256. The composite
-- foreign key makes a certificate whose subject is not the seal's owner unrepresentable.
create table seal_certificate (
    id            bigint       primary key,
    number        varchar(32)  not null,
    code_sha256   varchar(64)  not null,
    seal_id       bigint       not null,
    seal_version  bigint       not null,
    resident_id   bigint       not null,
    channel       varchar(8)   not null,
    issued_by     varchar(64)  not null,
    issued_at     timestamp with time zone not null,
    constraint uq_seal_certificate_number unique (number),
    constraint fk_seal_certificate_seal foreign key (seal_id, resident_id) references seal (id, resident_id),
    constraint ck_seal_certificate_channel check (channel in ('counter', 'kiosk'))
);
create index ix_seal_certificate_seal on seal_certificate (seal_id, issued_at);
