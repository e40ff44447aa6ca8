-- A failed or aborted upload whose clean-up did not reach object storage (cut at that moment): its multipart upload
-- is still pending, or its object still stored. upload/UploadDiscards aborts and removes them every few seconds once
-- storage answers, rather than leaving the multipart upload to the sweep's orphan pass a day later and the object
-- for ever.
alter table upload add column discard_pending boolean not null default false;
create index upload_discard_pending on upload (finished_at) where discard_pending;
