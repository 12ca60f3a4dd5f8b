-- The card replica (DESIGN §8): what the registry's card events said about each card of this service's link codes,
-- so that a clinic's card check is answered here while the event feed is within its bound, and asked of the registry
-- otherwise. A card is named by the SHA-256 (hex) of its authentication certificate's DER, which this service
-- computes from the certificate the card presents. A revocation is final.
create table card_replica (
    certificate_hash  varchar(64)  not null,
    link_code         varchar(32)  not null,
    status            varchar(10)  not null,
    since             timestamp with time zone not null,
    constraint pk_card_replica primary key (certificate_hash),
    constraint ck_card_replica_status check (status in ('issued', 'active', 'suspended', 'revoked')),
    constraint ck_card_replica_hash check (char_length(certificate_hash) = 64 and certificate_hash = lower(certificate_hash))
);
