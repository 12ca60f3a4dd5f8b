-- One active outbox dispatcher at a time among the registry's replicas: per-resident order and a single low watermark
-- per subscriber need one writer. The holder renews its lease every pass; another replica takes over once it expires.
create table outbox_lease (
    name        varchar(32)  primary key,
    holder      varchar(64)  not null,
    expires_at  timestamp with time zone not null
);
insert into outbox_lease (name, holder, expires_at) values ('dispatcher', 'nobody', timestamp with time zone '1970-01-01 00:00:00+00:00');
