-- Leases of the registry's periodic jobs (platform Lease): one replica at a time runs each. A row is inserted by the
-- first replica that takes it. The outbox dispatcher keeps its own row in outbox_lease (V44).
create table job_lease (
    name        varchar(64)  primary key,
    holder      varchar(64)  not null,
    expires_at  timestamp with time zone not null
);
