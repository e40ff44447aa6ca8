-- Job priorities: a producer's new episode (or new version of one) runs before a re-encode or a dub; operators may
-- raise any waiting job. Higher runs first; within one priority, the earliest due first.
alter table transcode_job add column priority smallint not null default 100 check (priority between 0 and 1000);

drop index transcode_job_claimable;
create index transcode_job_claimable on transcode_job (priority desc, next_run_at) where state = 'queued';
