create sequence eligibility_certificate_seq start with 1 increment by 50;
create sequence eligibility_check_seq start with 1 increment by 50;

create table eligibility_certificate (
    id                 bigint       not null,
    member_id          bigint       not null,
    certificate_number varchar(40)  not null,
    issued_by          varchar(100) not null,
    issued_at          timestamp with time zone not null,
    constraint pk_eligibility_certificate primary key (id),
    constraint uq_eligibility_certificate_number unique (certificate_number),
    constraint fk_eligibility_certificate_member foreign key (member_id) references member (id)
);

-- A nonce handed to a facility for one card check; consumed by the check that uses it.
create table eligibility_challenge (
    id                 varchar(43)  not null,
    nonce              varchar(64)  not null,
    facility_client_id varchar(100) not null,
    institution_code   varchar(10)  not null,
    expires_at         timestamp with time zone not null,
    used_at            timestamp with time zone,
    constraint pk_eligibility_challenge primary key (id)
);

create table eligibility_check (
    id                 bigint       not null,
    member_id          bigint,
    link_code          varchar(64),
    facility_client_id varchar(100) not null,
    institution_code   varchar(10)  not null,
    method             varchar(20)  not null,
    result             varchar(30)  not null,
    checked_at         timestamp with time zone not null,
    constraint pk_eligibility_check primary key (id),
    constraint fk_eligibility_check_member foreign key (member_id) references member (id),
    constraint ck_eligibility_check_method check (method in ('card', 'certificate', 'number'))
);
create index ix_eligibility_check_link_code on eligibility_check (link_code);
create index ix_eligibility_check_member on eligibility_check (member_id);
