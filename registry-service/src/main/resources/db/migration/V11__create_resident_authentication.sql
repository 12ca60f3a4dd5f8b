-- Nonces handed out for card authentication: single use (used_at), short-lived (expires_at).
create table auth_challenge (
    id          varchar(32)  primary key,
    nonce       varchar(64)  not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index ix_auth_challenge_expires on auth_challenge (expires_at);

-- Operation tokens this registry has acted on; the primary key makes a replay fail in the act's transaction.
create table consumed_operation_token (
    jti          varchar(64)  not null,
    consumed_at  timestamp with time zone not null,
    constraint pk_consumed_operation_token primary key (jti)
);
