-- Search over translations (decisions.md#discovery): each translation gets the same kind of generated document and
-- trigram text as its series (V11), and a search keeps each series' best score over its own row and its
-- translations. Translations carry no tags: the series' tags are in the series' own document.
create function series_translation_search_text(title text, synopsis text) returns text
    language sql immutable parallel safe
    as $$ select lower(title || ' ' || synopsis) $$;

alter table series_translation add column search_document tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, synopsis), 'C')) stored;

create index series_translation_search_document on series_translation using gin (search_document);
create index series_translation_search_trigrams on series_translation
    using gin (series_translation_search_text(title, synopsis) gin_trgm_ops);
