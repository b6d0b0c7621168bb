-- Connectors for the systems beside Odoo: the file ledger, and dead-letter replays.

-- Every file a file stream has taken (WMS inbox, bank export), by checksum: a file is
-- loaded once even when delivered again under another name. `landed` claims belong to a
-- batch not yet published; the claims of abandoned batches are freed by the next run.
create table if not exists ops.file_ledger (
    stream text not null,
    file_name text not null,
    sha256 text not null,
    size_bytes bigint not null,
    mtime_ns bigint not null,
    batch_id text not null,
    status text not null check (status in ('landed', 'published', 'duplicate')),
    duplicate_of text,
    rows bigint,
    rows_dead_lettered bigint,
    landed_at timestamptz not null default now(),
    published_at timestamptz,
    primary key (stream, file_name, sha256)
);
create unique index if not exists file_ledger_once on ops.file_ledger (stream, sha256)
    where status <> 'duplicate';
create index if not exists file_ledger_batch on ops.file_ledger (batch_id);

-- The batch a dead letter was last replayed into (its rows published there).
alter table ops.dead_letter add column if not exists replayed_batch_id text;
