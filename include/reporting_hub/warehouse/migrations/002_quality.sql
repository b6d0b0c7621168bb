-- Quality gate outcomes: quarantine counts, per-expectation results, alerts, steward decisions.

-- Rows of the batch held in quarantine.<table> (open or rejected; released rows count as
-- published). Identity per batch: rows_read = rows_published + rows_quarantined
-- (+ rows_dead_lettered, which never landed).
alter table ops.sync_runs add column if not exists rows_quarantined bigint not null default 0;

-- What the gate decided, beyond GX's verdict: publish stays possible only for
-- passed, rows_quarantined (the rest publishes) and waived (a steward released it).
alter table ops.validation_runs add column if not exists outcome text not null default 'passed'
    check (outcome in ('passed', 'failed', 'rows_quarantined', 'blocked', 'waived'));
update ops.validation_runs set outcome = 'failed' where not success and outcome = 'passed';
alter table ops.validation_runs add column if not exists rows_quarantined bigint not null default 0;

create table if not exists ops.validation_results (
    validation_result_id bigint generated always as identity primary key,
    validation_run_id bigint not null references ops.validation_runs,
    batch_id text not null,
    stream text not null,
    expectation text not null,
    column_name text,
    level text not null check (level in ('row', 'batch')),
    success boolean not null,
    observed_value jsonb,
    unexpected_count bigint,
    sample_keys jsonb not null default '[]',
    error text,
    kwargs jsonb not null default '{}'
);
create index if not exists validation_results_run on ops.validation_results (validation_run_id);
create index if not exists validation_results_batch on ops.validation_results (batch_id);

create table if not exists ops.alerts (
    alert_id bigint generated always as identity primary key,
    severity text not null check (severity in ('info', 'warning', 'error', 'critical')),
    stream text,
    batch_id text,
    message text not null,
    created_at timestamptz not null default now(),
    acknowledged boolean not null default false,
    acknowledged_at timestamptz,
    acknowledged_by text
);
create index if not exists alerts_open on ops.alerts (created_at) where not acknowledged;

create table if not exists ops.steward_actions (
    action_id bigint generated always as identity primary key,
    action text not null check (action in ('release', 'reject')),
    stream text not null,
    batch_id text not null,
    rows bigint not null,
    actor text not null,
    reason text not null check (reason <> ''),
    acted_at timestamptz not null default now()
);
create index if not exists steward_actions_batch on ops.steward_actions (batch_id);
