-- The schedule view across series (operators) walks episodes by release time: V10's index leads with the series.
create index episode_release_ahead on episode (release_at, id) where release_at is not null;
