-- V26's statement-level triggers announced a catalogue change for every statement, also one that changed no row:
-- the transcode lease sweep's empty "settle these episodes" on every worker poll made every instance drop all its
-- catalogue caches about once a second (seen in scripts/bench/hot-paths.sh: 18 announcements in 20 s with no change
-- made). Row-level now: only rows inserted, deleted, or updated to something else announce. PostgreSQL delivers
-- identical notifications of one transaction once, so a statement changing many rows still announces once.
drop trigger series_added_or_removed on series;
drop trigger episode_changed on episode;
drop trigger media_track_changed on media_track;
drop trigger series_translation_changed on series_translation;
drop trigger episode_translation_changed on episode_translation;

create trigger series_added_or_removed after insert or delete on series
    for each row execute function notify_catalogue_changed();

create trigger episode_added_or_removed after insert or delete on episode
    for each row execute function notify_catalogue_changed();
create trigger episode_changed after update on episode
    for each row when (old.* is distinct from new.*) execute function notify_catalogue_changed();

create trigger media_track_added_or_removed after insert or delete on media_track
    for each row execute function notify_catalogue_changed();
create trigger media_track_changed after update on media_track
    for each row when (old.* is distinct from new.*) execute function notify_catalogue_changed();

create trigger series_translation_added_or_removed after insert or delete on series_translation
    for each row execute function notify_catalogue_changed();
create trigger series_translation_changed after update on series_translation
    for each row when (old.* is distinct from new.*) execute function notify_catalogue_changed();

create trigger episode_translation_added_or_removed after insert or delete on episode_translation
    for each row execute function notify_catalogue_changed();
create trigger episode_translation_changed after update on episode_translation
    for each row when (old.* is distinct from new.*) execute function notify_catalogue_changed();
