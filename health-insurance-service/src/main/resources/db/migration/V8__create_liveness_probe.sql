-- One row that liveness rewrites on the embedded database (EmbeddedDatabaseCheck). Its IN check is the point: H2
-- 2.4.240 could lose the session that compiled such a check and then refuse every write into it while reads and
-- readiness stayed up (h2database #4302). Two values: H2 stores a one-value IN as '=', which has no constant set.
-- Created on PostgreSQL too, where nothing writes it.
create table liveness_probe (
    id         integer                  not null,
    state      varchar(8)               not null,
    written_at timestamp with time zone not null,
    constraint pk_liveness_probe primary key (id),
    constraint ck_liveness_probe_id check (id = 1),
    constraint ck_liveness_probe_state check (state in ('written', 'rewritten'))
);
insert into liveness_probe (id, state, written_at) values (1, 'written', current_timestamp);
