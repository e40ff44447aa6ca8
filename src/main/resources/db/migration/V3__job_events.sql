-- Operators watch jobs live, whichever process runs them: every change of a job's state, progress or attempt is
-- announced on the channel `transcode_job` (payload: the job id). Listeners read the row themselves, so the
-- payload stays far below NOTIFY's 8000-byte limit, and notifications of one transaction arrive after its commit.
create function notify_transcode_job() returns trigger language plpgsql as $$
begin
    perform pg_notify('transcode_job', new.id::text);
    return null;
end;
$$;

create trigger transcode_job_created after insert on transcode_job
    for each row execute function notify_transcode_job();

-- Heartbeats rewrite the row every few seconds; only real changes are announced.
create trigger transcode_job_changed after update on transcode_job
    for each row
    when (old.state is distinct from new.state or old.progress is distinct from new.progress
          or old.attempts is distinct from new.attempts or old.cancel_requested is distinct from new.cancel_requested
          or old.error_message is distinct from new.error_message)
    execute function notify_transcode_job();

-- Listing jobs by state, newest first, and the stats' counts per state.
create index transcode_job_state_recent on transcode_job (state, queued_at desc, id desc);
-- Stats: jobs finished in the last hour.
create index transcode_job_finished on transcode_job (finished_at) where finished_at is not null;
