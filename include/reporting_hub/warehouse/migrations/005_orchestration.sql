-- Orchestration: what the Airflow DAGs remember between runs.

-- One row per `build_marts` run: which streams' changes it built, which failed streams it
-- held back, and how it ended. The next build selects everything published since the
-- start of the last successful one, so a failed build loses no change.
create table if not exists ops.mart_builds (
    build_id bigint generated always as identity primary key,
    run_key text not null,
    status text not null check (status in ('running', 'success', 'failed', 'skipped')),
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    streams text[] not null default '{}',
    held_back text[] not null default '{}',
    selected text[] not null default '{}',
    excluded text[] not null default '{}',
    nodes jsonb,
    error text
);
create index if not exists mart_builds_status_started on ops.mart_builds (status, started_at desc);

-- Every reconciliation exception ever seen, open or resolved: the state `reconcile` diffs
-- each new run of marts_reconciliation.exceptions against.
create table if not exists ops.reconciliation_exceptions (
    exception_id text primary key,
    exception_type text not null,
    exception_keys jsonb,
    severity text,
    owner text,
    cause text,
    value_at_risk numeric,
    status text not null check (status in ('open', 'resolved')),
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    resolved_at timestamptz,
    first_run_id bigint,
    resolved_run_id bigint
);
create index if not exists reconciliation_exceptions_open
    on ops.reconciliation_exceptions (exception_type) where status = 'open';

-- One row per reconcile run: how many exceptions were open, new and resolved.
create table if not exists ops.reconciliation_runs (
    recon_run_id bigint generated always as identity primary key,
    run_key text not null,
    ran_at timestamptz not null default now(),
    open_count integer not null,
    new_count integer not null,
    resolved_count integer not null,
    alerted integer not null default 0
);
