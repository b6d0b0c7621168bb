-- Schemas of the write-audit-publish path and the ops tables that observe it.
create schema if not exists landing;
create schema if not exists raw;
create schema if not exists quarantine;
create schema if not exists ops;

create table if not exists ops.sync_runs (
    run_id bigint generated always as identity primary key,
    stream text not null,
    batch_id text not null unique,
    status text not null check (status in ('running', 'landed', 'published', 'failed')),
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    rows_read bigint not null default 0,
    rows_landed bigint not null default 0,
    rows_published bigint not null default 0,
    watermark_before text,
    watermark_after text,
    pages integer not null default 0,
    seconds numeric,
    error text
);
create index if not exists sync_runs_stream_started on ops.sync_runs (stream, started_at desc);

create table if not exists ops.stream_state (
    stream text primary key,
    watermark text,
    last_batch_id text,
    last_published_at timestamptz,
    rows_total bigint
);

create table if not exists ops.validation_runs (
    validation_run_id bigint generated always as identity primary key,
    batch_id text not null,
    stream text not null,
    suite text not null,
    success boolean not null,
    evaluated integer not null,
    failed integer not null,
    results jsonb not null,
    validated_at timestamptz not null default now()
);
create index if not exists validation_runs_batch on ops.validation_runs (batch_id);
