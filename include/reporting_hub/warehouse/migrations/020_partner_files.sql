-- Files and feeds as partners send them: encodings, empty and blocked files, corrected
-- redeliveries, and duplicate copies of a record.

-- A file is also `empty` (0 bytes, or a header without rows: recorded and skipped),
-- `blocked` (its trailer's control totals disagree: nothing of it loaded, `reason` says
-- why) or `superseded` (a later version of the same document replaced it; an older version
-- arriving late is superseded on arrival and never loaded).
alter table ops.file_ledger drop constraint if exists file_ledger_status_check;
alter table ops.file_ledger add constraint file_ledger_status_check
    check (status in ('landed', 'published', 'duplicate', 'empty', 'blocked', 'superseded'));
alter table ops.file_ledger add column if not exists reason text;
-- How the file's lines were decoded (`utf-8`, `utf-8-sig`, `utf-16`, `cp1252`, ...).
alter table ops.file_ledger add column if not exists encoding text;
-- The document the file is a version of, the published files it replaces, and (on a
-- replaced file) the file that replaced it.
alter table ops.file_ledger add column if not exists document text;
alter table ops.file_ledger add column if not exists supersedes text [] not null default '{}';
alter table ops.file_ledger add column if not exists superseded_by text;
-- Every 0-byte file has the same checksum: emptiness is no reason to call a file a copy.
drop index if exists ops.file_ledger_once;
create unique index if not exists file_ledger_once on ops.file_ledger (stream, sha256)
    where status not in ('duplicate', 'empty');

-- Copies of a key dropped at landing because another copy carries the same record
-- (`rows_duplicate`), or because a later version of it came in the same batch
-- (`rows_superseded`). rows_read = published + quarantined + dead lettered + both.
alter table ops.sync_runs add column if not exists rows_duplicate bigint not null default 0;
alter table ops.sync_runs add column if not exists rows_superseded bigint not null default 0;

-- The exact bytes of a record that is not text in its file's encoding, so a replay after
-- the right `encoding` is declared reads the record itself, not its escaped rendering.
alter table ops.dead_letter add column if not exists payload_bytes bytea;
