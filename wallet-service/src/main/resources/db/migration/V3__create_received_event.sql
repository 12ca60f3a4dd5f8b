-- Registry events (card revoked, resident renamed, moved, deceased ...) received by this service, once each.
create table received_event (
    event_id     varchar(36)  primary key,
    type         varchar(32)  not null,
    link_code    varchar(32)  not null,
    occurred_at  timestamp with time zone not null,
    received_at  timestamp with time zone not null
);
create index ix_received_event_link_code on received_event (link_code);
