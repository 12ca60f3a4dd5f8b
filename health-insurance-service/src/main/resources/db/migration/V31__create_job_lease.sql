-- Leases of the insurance service's periodic jobs (platform Lease), the scheduled reconciliation first: one replica at
-- a time runs each. A row is inserted by the first replica that takes it.
create table job_lease (
    name        varchar(64)  primary key,
    holder      varchar(64)  not null,
    expires_at  timestamp with time zone not null
);
