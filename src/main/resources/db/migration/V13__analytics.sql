-- Viewer analytics (owned by the analytics feature): raw events in day partitions, each viewer's state per
-- episode, rollups per episode and hour/day, the rollup's watermark and the daily distribution index.

-- Raw events, partitioned by the time the event happened (the client's clock, accepted only within
-- analytics.max-lateness before and a few minutes after the server's; the server's own facts carry server time).
-- A retry of an event carries the same id and time, so the primary key (which must contain the partition key)
-- drops it. Partitions are created ahead and dropped after the retention by analytics/EventPartitions.
create table analytics_event (
    occurred_at  timestamptz not null,
    viewer_id    text not null,
    event_id     text not null,
    kind         text not null check (kind in ('play_start', 'progress', 'complete', 'leave', 'paywall_shown',
                                               'playback_start', 'unlock', 'ad_unlock')),
    source       text not null check (source in ('client', 'server')),
    episode_id   uuid not null,
    position_ms  integer check (position_ms >= 0),
    coins        integer not null default 0 check (coins >= 0),
    received_at  timestamptz not null default now(),
    primary key (viewer_id, event_id, occurred_at)
) partition by range (occurred_at);
-- The rollup reads what arrived since its watermark.
create index analytics_event_received on analytics_event using brin (received_at);

-- One day partition: analytics_event_yyyymmdd, [day, day + 1).
create function analytics_event_partition(day date) returns void language plpgsql as $$
begin
    execute format('create table if not exists %I partition of analytics_event for values from (%L) to (%L)',
                   'analytics_event_' || to_char(day, 'YYYYMMDD'), day::timestamptz, (day + 1)::timestamptz);
end $$;

-- Before the first scheduled run: the days a client may still report plus the next week.
select analytics_event_partition(d::date)
from generate_series(current_date - 3, current_date + 7, interval '1 day') as d;

-- What the rollup knows of one viewer and one episode. Cohort metrics (completion, share, drop-off, continue,
-- reached-from-episode-1) are credited to the hour/day of started_at; paywall metrics to paywall_shown_at; the
-- paid-at-first-locked count to unlocked_at. A change of this row moves the rollups by its difference.
create table analytics_viewer_episode (
    viewer_id         text not null,
    episode_id        uuid not null,
    series_id         uuid not null,
    number            integer not null,
    duration_ms       integer,
    started_at        timestamptz,
    max_position_ms   integer not null default 0,
    completed         boolean not null default false,
    continued         boolean not null default false,
    from_first        boolean not null default false,
    paywall_shown_at  timestamptz,
    unlocked_at       timestamptz,
    primary key (viewer_id, episode_id)
);
create index analytics_viewer_episode_series on analytics_viewer_episode (viewer_id, series_id);

-- Per episode and hour ('hour') or UTC day ('day'). Additive columns only, so any range is a sum; unique viewers
-- are Redis HyperLogLog estimates (analytics/UniqueViewers), copied here per bucket.
create table analytics_rollup (
    series_id          uuid not null,
    grain              text not null check (grain in ('hour', 'day')),
    bucket             timestamptz not null,
    episode_id         uuid not null,
    number             integer not null,
    views              bigint not null default 0,
    unique_viewers     bigint not null default 0,
    starters           bigint not null default 0,
    completions        bigint not null default 0,
    share_permille_sum bigint not null default 0,
    dropoff            bigint[] not null default '{0,0,0,0,0,0,0,0,0,0}',
    continued          bigint not null default 0,
    reached_from_first bigint not null default 0,
    paywall_shown      bigint not null default 0,
    paywall_converted  bigint not null default 0,
    paid_from_first    bigint not null default 0,
    unlocks            bigint not null default 0,
    coins              bigint not null default 0,
    ad_unlocks         bigint not null default 0,
    primary key (series_id, grain, bucket, episode_id)
);

-- Events received up to this time are folded into the rollups (one row).
create table analytics_watermark (
    id             boolean primary key default true check (id),
    received_until timestamptz not null
);
insert into analytics_watermark (received_until) values (now());

-- The distribution index of each series, computed once a day from the trailing window's rollups.
create table analytics_distribution_index (
    series_id    uuid not null,
    day          date not null,
    score        double precision not null,
    reach        bigint not null,
    reach_score  double precision not null,
    completion   double precision not null,
    continuation double precision not null,
    conversion   double precision not null,
    computed_at  timestamptz not null default now(),
    primary key (day, series_id)
);
