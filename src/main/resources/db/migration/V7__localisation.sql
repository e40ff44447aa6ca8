-- Localisation (issue 12): translated titles and synopses, and per-version subtitle and dubbed audio tracks.
-- All catalogue-owned. A series' own `language` stays its default; translations add others.
create table series_translation (
    id                  uuid primary key,
    series_id           uuid not null references series (id) on delete cascade,
    language            text not null check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    title               text not null check (length(btrim(title)) between 1 and 200),
    synopsis            text not null default '' check (length(synopsis) <= 4000),
    updated_at          timestamptz not null default now(),
    unique (series_id, language)
);

create table episode_translation (
    id                  uuid primary key,
    episode_id          uuid not null references episode (id) on delete cascade,
    language            text not null check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    title               text not null check (length(btrim(title)) between 1 and 200),
    updated_at          timestamptz not null default now(),
    unique (episode_id, language)
);

-- A subtitle or dubbed audio rendition of one episode version: aligned to that version's segments (and for audio
-- encrypted with its key), so a track belongs to the version it was made for. Objects live under
-- `hls/{episode}/{version}/{dir}/`, a fresh directory per upload: a replacement never overwrites what the current
-- master names, and the master switches when the row does (one commit).
create table media_track (
    id                  uuid primary key,
    version_id          uuid not null references episode_version (id) on delete cascade,
    kind                text not null check (kind in ('subtitles', 'audio')),
    language            text not null check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    name                text not null check (length(btrim(name)) between 1 and 100),
    dir                 text not null check (dir ~ '^[as]-[0-9a-f-]{36}$'),
    state               text not null default 'ready' check (state in ('processing', 'ready', 'failed', 'replaced')),
    -- Measured peak and average bitrate of an audio rendition (added to each variant's BANDWIDTH).
    bandwidth           integer check (bandwidth > 0),
    average_bandwidth   integer check (average_bandwidth > 0),
    source_key          text,
    failure_reason      text,
    created_at          timestamptz not null default now(),
    ready_at            timestamptz,
    unique (version_id, dir)
);
-- One live track per version, kind and language; a replacement goes live in the commit that retires the old one.
create unique index media_track_live on media_track (version_id, kind, language) where state = 'ready';
create index media_track_language on media_track (kind, language) where state = 'ready';
