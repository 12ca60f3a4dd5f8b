-- Card login from a PC by the OAuth 2.0 device authorization grant (RFC 8628). The portal holds the device code
-- (stored here only as its SHA-256); the resident's card app approves by user code, showing the portal's name, the
-- code and the time first, and signs this row's nonce with the card. Short-lived, approved once, redeemed once.
create table device_authorization (
    device_code_hash  varchar(64)  primary key,
    user_code         varchar(9)   not null,
    client_id         varchar(100) not null,
    nonce             varchar(64)  not null,
    status            varchar(16)  not null,
    created_at        timestamp with time zone not null,
    expires_at        timestamp with time zone not null,
    polled_at         timestamp with time zone,
    approved_at       timestamp with time zone,
    resident_id       bigint,
    auth_serial       varchar(64),
    constraint uq_device_authorization_user_code unique (user_code),
    constraint ck_device_authorization_status check (status in ('pending', 'approved', 'redeemed')),
    constraint ck_device_authorization_approval check ((status = 'pending') = (resident_id is null))
);
create index ix_device_authorization_expires on device_authorization (expires_at);
