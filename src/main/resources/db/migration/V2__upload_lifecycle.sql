-- Uploads move pending → completing (probe running) → completed | failed, or pending → aborted. Streamed uploads
-- get a row too, so that the sweep can clean up after a crash; their size is unknown until the last byte.
alter table upload drop constraint upload_state_check;
alter table upload add constraint upload_state_check
    check (state in ('pending', 'completing', 'completed', 'aborted', 'failed'));
alter table upload add column method text not null default 'direct' check (method in ('direct', 'streamed'));
alter table upload alter column size drop not null;
alter table upload alter column part_size drop not null;
alter table upload add constraint upload_direct_sized check (method <> 'direct' or (size is not null and part_size is not null));
drop index upload_pending_expiry;
create index upload_unfinished_expiry on upload (expires_at) where state in ('pending', 'completing');
