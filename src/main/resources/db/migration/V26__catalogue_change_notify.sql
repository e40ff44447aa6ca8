-- The viewer hot paths keep catalogue facts in memory (catalogue/CatalogueChanges): each instance drops them all
-- when a transaction that changed a series, an episode, a track or a translation commits, whoever wrote it (the
-- app, a migration, SQL by hand). Notifications are sent on commit and deduplicated within a transaction.
create function notify_catalogue_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('catalogue_changed', '');
    return null;
end;
$$;

-- The popularity and trending flushes rewrite series rows every few seconds; those columns are nobody's cached fact.
create trigger series_changed after update on series
    for each row
    when ((to_jsonb(old) - 'popularity' - 'trend_log' - 'updated_at')
          is distinct from (to_jsonb(new) - 'popularity' - 'trend_log' - 'updated_at'))
    execute function notify_catalogue_changed();
create trigger series_added_or_removed after insert or delete on series
    for each statement execute function notify_catalogue_changed();
create trigger episode_changed after insert or update or delete on episode
    for each statement execute function notify_catalogue_changed();
create trigger media_track_changed after insert or update or delete on media_track
    for each statement execute function notify_catalogue_changed();
create trigger series_translation_changed after insert or update or delete on series_translation
    for each statement execute function notify_catalogue_changed();
create trigger episode_translation_changed after insert or update or delete on episode_translation
    for each statement execute function notify_catalogue_changed();
