-- Per-service pseudonyms (機関別符号): random, one per resident and audience; other services hold only these.
create table link_code (
    resident_id  bigint      not null references resident (id),
    audience     varchar(16) not null,
    code         varchar(32) not null,
    created_at   timestamp with time zone not null,
    constraint pk_link_code primary key (resident_id, audience),
    constraint uq_link_code_code unique (code),
    constraint ck_link_code_audience check (audience in ('registry', 'wallet', 'insurance'))
);
