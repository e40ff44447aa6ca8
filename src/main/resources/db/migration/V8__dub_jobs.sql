-- Dubs are audio-only jobs in the same queue as ladders (issue 12): operators see, retry and cancel them alike.
-- A version has one ladder job and any number of dub jobs, each making one audio track.
alter table transcode_job add column kind text not null default 'ladder' check (kind in ('ladder', 'dub'));
alter table transcode_job add column track_id uuid references media_track (id) on delete cascade;
alter table transcode_job add constraint transcode_job_dub_has_track check ((kind = 'dub') = (track_id is not null));
alter table transcode_job drop constraint transcode_job_version_id_key;
create unique index transcode_job_one_ladder on transcode_job (version_id) where kind = 'ladder';
create unique index transcode_job_one_per_track on transcode_job (track_id) where track_id is not null;
