-- Registry events applied here, by event id: a redelivery is recognised and changes nothing.
create table received_event (
    event_id     varchar(36)  primary key,
    type         varchar(32)  not null,
    occurred_at  timestamp with time zone not null,
    received_at  timestamp with time zone not null,
    members      integer      not null
);

-- A rename, move or death at the registry means the insurer's copy must be checked again.
alter table member add column reverification_reason varchar(32);
alter table member add column reverification_since timestamp with time zone;
