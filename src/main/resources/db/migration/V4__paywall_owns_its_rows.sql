-- The paywall reads only its own tables: an unlock carries its episode's series and number, so "which numbers
-- has this viewer unlocked in this series" needs no join with the catalogue's episode table. An episode's series
-- and number never change once it exists, so the copies cannot go stale.
alter table unlock add column series_id uuid, add column episode_number integer;
update unlock u set series_id = e.series_id, episode_number = e.number from episode e where e.id = u.episode_id;
alter table unlock alter column series_id set not null, alter column episode_number set not null;
create index unlock_viewer_series on unlock (viewer_id, series_id) include (episode_number);
