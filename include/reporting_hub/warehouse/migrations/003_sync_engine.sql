-- Sync engine: retries and delete scans in the run log, and the server fields seen per stream.
alter table ops.sync_runs add column if not exists kind text not null default 'sync';
alter table ops.sync_runs add column if not exists retries integer not null default 0;
alter table ops.sync_runs add column if not exists rows_deleted bigint not null default 0;

-- Server fields a stream does not load: reported (first seen, last seen), never loaded.
create table if not exists ops.source_fields (
    stream text not null,
    field text not null,
    field_type text not null,
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    primary key (stream, field)
);

alter table ops.sync_runs add column if not exists rows_dead_lettered bigint not null default 0;

-- Input records that could not be landed (a malformed file row, an unparseable event):
-- kept with where they came from and why, until replayed or dismissed.
create table if not exists ops.dead_letter (
    dead_letter_id bigint generated always as identity primary key,
    stream text not null,
    batch_id text not null,
    origin text not null,
    payload text not null,
    error text not null,
    attempts integer not null default 1,
    status text not null default 'open' check (status in ('open', 'replayed', 'dismissed')),
    created_at timestamptz not null default now(),
    resolved_at timestamptz
);
create index if not exists dead_letter_open on ops.dead_letter (stream) where status = 'open';
