-- A clerk opens an application for one resident; the card's CSRs must name it, and it can be used once.
create table card_application (
    id            varchar(64)  primary key,
    resident_id   bigint       not null,
    status        varchar(10)  not null,
    created_by    varchar(64)  not null,
    created_at    timestamp with time zone not null,
    used_at       timestamp with time zone,
    constraint fk_card_application_resident foreign key (resident_id) references resident (id),
    constraint ck_card_application_status check (status in ('open', 'used'))
);
create index ix_card_application_resident on card_application (resident_id);

create sequence card_seq start with 1 increment by 50;

-- active_resident_id is set only while the card is active: the unique index (NULLs never collide, on H2 and
-- PostgreSQL alike) makes a second active card for one resident impossible whatever the Java code does.
create table card (
    id                   bigint       primary key,
    card_id              varchar(64)  not null,
    resident_id          bigint       not null,
    application_id       varchar(64)  not null,
    status               varchar(10)  not null,
    active_resident_id   bigint,
    suspended            boolean      not null,
    activation_challenge varchar(64)  not null,
    expires_on           date         not null,
    issued_at            timestamp with time zone not null,
    activated_at         timestamp with time zone,
    revoked_at           timestamp with time zone,
    revoked_reason       varchar(20),
    version              bigint       not null,
    constraint fk_card_resident foreign key (resident_id) references resident (id),
    constraint fk_card_application foreign key (application_id) references card_application (id),
    constraint uq_card_card_id unique (card_id),
    constraint uq_card_application_id unique (application_id),
    constraint uq_card_active_resident unique (active_resident_id),
    constraint ck_card_status check (status in ('issued', 'active', 'revoked')),
    constraint ck_card_active check ((status = 'active') = (active_resident_id is not null)),
    constraint ck_card_active_owner check (active_resident_id is null or active_resident_id = resident_id),
    constraint ck_card_revoked check ((status = 'revoked') = (revoked_at is not null))
);
create index ix_card_resident on card (resident_id);

-- Serial numbers are lowercase hex. A public key is certified once, ever (public_key_hash = SHA-256 of the SPKI).
create table certificate (
    serial           varchar(40)   primary key,
    card_ref         bigint        not null,
    type             varchar(16)   not null,
    public_key_hash  varchar(64)   not null,
    not_before       timestamp with time zone not null,
    not_after        timestamp with time zone not null,
    status           varchar(10)   not null,
    revoked_reason   varchar(20),
    revoked_at       timestamp with time zone,
    pem              varchar(4000) not null,
    constraint fk_certificate_card foreign key (card_ref) references card (id),
    constraint uq_certificate_public_key unique (public_key_hash),
    constraint ck_certificate_type check (type in ('authentication', 'signature')),
    constraint ck_certificate_status check (status in ('good', 'revoked')),
    constraint ck_certificate_revoked check ((status = 'revoked') = (revoked_at is not null))
);
create index ix_certificate_card on certificate (card_ref);
