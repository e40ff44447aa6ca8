-- A viewer's preferred audio and subtitle languages (issue 12): playback makes them DEFAULT in the master when the
-- playback call does not name others. Owned by playback.
create table viewer_language (
    viewer_id           text primary key,
    audio_language      text check (audio_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    subtitle_language   text check (subtitle_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    updated_at          timestamptz not null default now()
);
