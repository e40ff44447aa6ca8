-- Scheduled release. An episode is visible to viewers once it is published, has a ready version and its release
-- time has come (null: as soon as it is published). Visibility is computed by every query from release_at <= now(),
-- so an episode appears at its instant with no process having to act.
alter table episode add column release_at timestamptz;
create index episode_upcoming on episode (series_id, release_at) where release_at is not null;

-- "One a day at HH:MM in a time zone from episode N": the rule is kept so that episodes created later get their
-- slot; each episode's release_at is what viewers' queries read.
alter table series
    add column daily_release_from  integer check (daily_release_from between 1 and 10000),
    add column daily_release_time  time,
    add column daily_release_zone  text check (length(daily_release_zone) <= 64),
    add column daily_release_start date,
    add constraint series_daily_release_whole check (num_nonnulls(daily_release_from, daily_release_time,
        daily_release_zone, daily_release_start) in (0, 4));
