-- Idempotency-Key for the insurers' retryable POSTs (the platform's mechanism, as in the wallet): a retried
-- eligibility-certificate request gets the first certificate, never a second one.
create sequence idempotency_record_seq start with 1 increment by 50;
create table idempotency_record (
    id            bigint                   not null,
    scope         varchar(100)             not null,
    idem_key      varchar(200)             not null,
    endpoint      varchar(100)             not null,
    request_hash  varchar(64)              not null,
    status        integer,
    response_body varchar(16000),
    created_at    timestamp with time zone not null,
    constraint pk_idempotency_record primary key (id),
    constraint uq_idempotency_record unique (scope, idem_key)
);
