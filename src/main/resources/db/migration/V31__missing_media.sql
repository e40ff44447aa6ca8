-- Ready versions whose master playlist was asked for and not found in storage (playback's): the database and the
-- store out of step. Cleared when the master is read again.
create table missing_media (
    version_id    uuid primary key,
    episode_id    uuid not null,
    first_seen_at timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    hits          bigint not null default 1
);
