-- Trending: per series, plays and completions decayed exponentially with a half-life (catalogue.trending.half-life).
-- Stored as the natural log of the score scaled to a fixed reference time (2026-01-01): an event at t adds
-- weight * 2^((t - ref) / half-life), so ordering by the stored value is ordering by today's decayed score, no job
-- ever has to decay the rows, and the log keeps the growing scale from overflowing. -Infinity: never watched.
alter table series add column trend_log double precision not null default '-Infinity';
create index series_trending on series (trend_log desc, id desc) where status <> 'draft';

-- What was counted: one row per viewer, episode, kind and window, so replaying an episode in a loop counts once per
-- window. Rows older than a window are deleted by the counter.
create table trend_count (
    viewer_id           text not null,
    episode_id          uuid not null references episode (id) on delete cascade,
    kind                text not null check (kind in ('play', 'completion')),
    window_start        timestamptz not null,
    primary key (viewer_id, episode_id, kind, window_start)
);
create index trend_count_window on trend_count (window_start);
