create sequence reconciliation_seq start with 1 increment by 50;
create sequence reconciliation_finding_seq start with 1 increment by 50;

create table reconciliation (
    id          bigint       not null,
    started_by  varchar(100) not null,
    started_at  timestamp with time zone not null,
    finished_at timestamp with time zone,
    status      varchar(20)  not null,
    checked     bigint       not null,
    findings    bigint       not null,
    constraint pk_reconciliation primary key (id),
    constraint ck_reconciliation_status check (status in ('running', 'finished', 'failed'))
);

create table reconciliation_finding (
    id                bigint      not null,
    reconciliation_id bigint      not null,
    member_id         bigint      not null,
    status            varchar(20) not null,
    mismatched        varchar(100),
    constraint pk_reconciliation_finding primary key (id),
    constraint fk_reconciliation_finding_run foreign key (reconciliation_id) references reconciliation (id),
    constraint fk_reconciliation_finding_member foreign key (member_id) references member (id)
);
create index ix_reconciliation_finding_run on reconciliation_finding (reconciliation_id);
