-- Virtual IDs (as Aadhaar's and MOSIP's VID): a revocable 16-digit alias of a resident's number. Only a keyed hash
-- (HMAC-SHA256 with the registry's look-up key, domain-separated from the number's) is stored: the VID is shown
-- once, to its holder, at creation.
create sequence virtual_id_seq start with 1 increment by 50;

create table virtual_id (
    id                 bigint       primary key,
    resident_id        bigint       not null,
    vid_hmac           varchar(64)  not null,
    -- Equal to resident_id while the VID may resolve, null once it ended: the unique constraint is the rule
    -- "at most one active VID per resident", settled by the database when two creations race.
    active_resident_id bigint,
    created_at         timestamp with time zone not null,
    expires_at         timestamp with time zone not null,
    ended_at           timestamp with time zone,
    end_reason         varchar(10),
    constraint fk_virtual_id_resident foreign key (resident_id) references resident (id),
    constraint uq_virtual_id_hmac unique (vid_hmac),
    constraint uq_virtual_id_active unique (active_resident_id),
    constraint ck_virtual_id_active check (
        (active_resident_id = resident_id and ended_at is null and end_reason is null)
        or (active_resident_id is null and ended_at is not null and end_reason in ('revoked', 'expired'))),
    constraint ck_virtual_id_period check (expires_at > created_at)
);

create index ix_virtual_id_resident on virtual_id (resident_id);
