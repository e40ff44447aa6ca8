-- Search over series: full text for whole and leading words, trigrams for typos, partial words and CJK substrings.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
create extension if not exists pg_trgm;

-- Declared immutable so that an index and a generated column may use them: array_to_string is only "stable" in
-- general (it calls element output functions), but cannot vary for a varchar[].
create function series_tag_words(tags varchar[]) returns text
    language sql immutable parallel safe
    as $$ select array_to_string(tags, ' ') $$;

-- The text a series is found by, lowercased, for trigram matching.
create function series_search_text(title text, tags varchar[], synopsis text) returns text
    language sql immutable parallel safe
    as $$ select lower(title || ' ' || series_tag_words(tags) || ' ' || synopsis) $$;

-- 'simple': no stemming and no stop words, the same for every language a series is written in (see decisions.md).
alter table series add column search_document tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, series_tag_words(tags)), 'B')
    || setweight(to_tsvector('simple'::regconfig, synopsis), 'C')) stored;

create index series_search_document on series using gin (search_document) where status <> 'draft';
create index series_search_trigrams on series using gin (series_search_text(title, tags, synopsis) gin_trgm_ops)
    where status <> 'draft';
