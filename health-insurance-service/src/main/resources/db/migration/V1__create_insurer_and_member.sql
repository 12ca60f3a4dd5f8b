create sequence insurer_seq start with 1 increment by 50;
create sequence member_seq start with 1 increment by 50;
create sequence link_attempt_seq start with 1 increment by 50;

create table insurer (
    id               bigint       not null,
    insurer_number   varchar(8)   not null,
    name             varchar(200) not null,
    corporate_number varchar(13)  not null,
    owner_client_id  varchar(100) not null,
    created_at       timestamp with time zone not null,
    constraint pk_insurer primary key (id),
    constraint uq_insurer_number unique (insurer_number),
    constraint ck_insurer_number check (length(insurer_number) in (6, 8))
);

-- A member keeps only the insurance link code the registry issued, never the individual number.
create table member (
    id                bigint       not null,
    insurer_id        bigint       not null,
    symbol            varchar(40)  not null,
    member_number     varchar(40)  not null,
    branch            varchar(2)   not null,
    copay_rate        integer      not null,
    coverage_start    date         not null,
    coverage_end      date,
    family_name       varchar(200) not null,
    given_name        varchar(200) not null,
    family_name_kana  varchar(200) not null,
    given_name_kana   varchar(200) not null,
    date_of_birth     date         not null,
    sex               varchar(6)   not null,
    link_status       varchar(30)  not null,
    link_code         varchar(64),
    link_mismatched   varchar(100),
    linked_by         varchar(100),
    linked_at         timestamp with time zone,
    version           bigint       not null,
    created_at        timestamp with time zone not null,
    constraint pk_member primary key (id),
    constraint fk_member_insurer foreign key (insurer_id) references insurer (id),
    constraint uq_member_card unique (insurer_id, symbol, member_number, branch),
    constraint ck_member_copay check (copay_rate in (10, 20, 30)),
    constraint ck_member_coverage check (coverage_end is null or coverage_end >= coverage_start),
    constraint ck_member_sex check (sex in ('male', 'female')),
    constraint ck_member_link_status check (link_status in ('unlinked', 'linked', 'attributes-mismatch', 'no-match'))
);
create index ix_member_link_code on member (link_code);
create index ix_member_lookup on member (symbol, member_number, branch);

-- Every answer of the registry to a link request: who asked, when, and what came back.
create table link_attempt (
    id          bigint       not null,
    member_id   bigint       not null,
    outcome     varchar(30)  not null,
    mismatched  varchar(100),
    asked_by    varchar(100) not null,
    asked_at    timestamp with time zone not null,
    constraint pk_link_attempt primary key (id),
    constraint fk_link_attempt_member foreign key (member_id) references member (id)
);
create index ix_link_attempt_member on link_attempt (member_id);
