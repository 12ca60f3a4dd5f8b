-- Transactional outbox: an event row is written in the transaction of the change it reports; one delivery row per
-- subscriber tracks its progress. Ids come from a sequence with increment 1, so that for one resident (whose
-- changes are serialised by row locks) a later change always has a larger id: delivery order per resident.
create sequence outbox_event_seq start with 1 increment by 1;

create table outbox_event (
    id           bigint       primary key,
    event_id     varchar(36)  not null,
    resident_id  bigint       not null,
    type         varchar(32)  not null,
    occurred_at  timestamp with time zone not null,
    constraint uq_outbox_event_event_id unique (event_id),
    constraint fk_outbox_event_resident foreign key (resident_id) references resident (id)
);

create table outbox_delivery (
    event_ref        bigint       not null,
    subscriber       varchar(16)  not null,
    resident_id      bigint       not null,
    status           varchar(10)  not null,
    attempts         integer      not null,
    next_attempt_at  timestamp with time zone not null,
    delivered_at     timestamp with time zone,
    last_error       varchar(200),
    constraint pk_outbox_delivery primary key (event_ref, subscriber),
    constraint fk_outbox_delivery_event foreign key (event_ref) references outbox_event (id),
    constraint ck_outbox_delivery_status check (status in ('pending', 'delivered', 'skipped'))
);
create index ix_outbox_delivery_pending on outbox_delivery (subscriber, status, event_ref);
