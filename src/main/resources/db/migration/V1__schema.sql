-- The whole data model, planned up front. Constraints make the database itself refuse impossible states;
-- later features fill tables that exist from day one.

-- ---------------------------------------------------------------- catalogue
create table series (
    id                  uuid primary key,
    slug                text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
    title               text not null check (length(btrim(title)) between 1 and 200),
    synopsis            text not null default '' check (length(synopsis) <= 4000),
    language            text not null check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    genres              varchar(40)[] not null default '{}',
    tags                varchar(40)[] not null default '{}',
    cover_image_key     text,
    status              text not null default 'draft' check (status in ('draft', 'published', 'completed')),
    free_episode_count  integer not null default 0 check (free_episode_count between 0 and 10000),
    coin_price          integer not null default 0 check (coin_price between 0 and 100000),
    producer_id         text not null,
    popularity          bigint not null default 0 check (popularity >= 0),
    published_at        timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    row_version         integer not null default 0,
    check (status = 'draft' or published_at is not null)
);
create index series_visible_new on series (published_at desc, id desc) where status <> 'draft';
create index series_visible_popular on series (popularity desc, id desc) where status <> 'draft';
create index series_genres on series using gin (genres);
create index series_tags on series using gin (tags);
create index series_producer on series (producer_id, created_at desc, id desc);

create table episode (
    id                  uuid primary key,
    series_id           uuid not null references series (id) on delete cascade,
    number              integer not null check (number between 1 and 10000),
    title               text not null default '' check (length(title) <= 200),
    duration_ms         integer check (duration_ms >= 0),
    price_override      integer check (price_override between 0 and 100000),
    state               text not null default 'awaiting_source'
                        check (state in ('awaiting_source', 'processing', 'ready', 'failed')),
    current_version_id  uuid,
    published           boolean not null default false,
    published_at        timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    row_version         integer not null default 0,
    unique (series_id, number),
    check (not published or published_at is not null)
);

-- One uploaded source of an episode. Re-uploading creates a new version; the old one keeps playing until the
-- new one is READY.
create table episode_version (
    id                  uuid primary key,
    episode_id          uuid not null references episode (id) on delete cascade,
    version_number      integer not null check (version_number >= 1),
    source_key          text not null,
    source_size         bigint not null check (source_size > 0),
    source_sha256       text check (source_sha256 ~ '^[0-9a-f]{64}$'),
    probe               jsonb,
    state               text not null default 'queued'
                        check (state in ('queued', 'transcoding', 'ready', 'failed', 'cancelled')),
    failure_reason      text,
    hls_prefix          text,
    poster_key          text,
    thumbnail_key       text,
    -- AES-128 segment key: kept by the backend, never stored next to the segments.
    encryption_key      bytea check (encryption_key is null or length(encryption_key) = 16),
    duration_ms         integer check (duration_ms >= 0),
    created_at          timestamptz not null default now(),
    ready_at            timestamptz,
    unique (episode_id, version_number),
    unique (id, episode_id),
    check (state <> 'ready' or (hls_prefix is not null and encryption_key is not null and ready_at is not null))
);
-- The current version must belong to the same episode.
alter table episode add constraint episode_current_version_fk
    foreign key (current_version_id, id) references episode_version (id, episode_id) deferrable initially deferred;

create table rendition (
    id                  uuid primary key,
    version_id          uuid not null references episode_version (id) on delete cascade,
    name                text not null,
    width               integer not null check (width > 0),
    height              integer not null check (height > 0),
    bandwidth           integer not null check (bandwidth > 0),
    average_bandwidth   integer not null check (average_bandwidth > 0),
    codecs              text not null,
    frame_rate          numeric(6, 3) not null check (frame_rate > 0),
    playlist_key        text not null,
    unique (version_id, name)
);

-- ---------------------------------------------------------------- upload
create table upload (
    id                  uuid primary key,
    series_id           uuid not null references series (id) on delete cascade,
    episode_number      integer not null check (episode_number between 1 and 10000),
    producer_id         text not null,
    object_key          text not null unique,
    s3_upload_id        text,
    size                bigint not null check (size > 0),
    part_size           bigint not null check (part_size > 0),
    content_type        text not null,
    sha256              text check (sha256 ~ '^[0-9a-f]{64}$'),
    state               text not null default 'pending' check (state in ('pending', 'completed', 'aborted', 'failed')),
    failure_reason      text,
    version_id          uuid references episode_version (id) on delete set null,
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null,
    finished_at         timestamptz
);
create index upload_pending_expiry on upload (expires_at) where state = 'pending';

-- ---------------------------------------------------------------- transcode
create table transcode_job (
    id                  uuid primary key,
    version_id          uuid not null unique references episode_version (id) on delete cascade,
    state               text not null default 'queued'
                        check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts            integer not null default 0 check (attempts >= 0),
    max_attempts        integer not null default 5 check (max_attempts >= 1),
    next_run_at         timestamptz not null default now(),
    lease_owner         text,
    lease_expires_at    timestamptz,
    heartbeat_at        timestamptz,
    progress            smallint not null default 0 check (progress between 0 and 100),
    error_message       text,
    error_log_tail      text,
    encode_speed        real check (encode_speed >= 0),
    cancel_requested    boolean not null default false,
    queued_at           timestamptz not null default now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    updated_at          timestamptz not null default now(),
    check (state <> 'running' or (lease_owner is not null and lease_expires_at is not null)),
    check (attempts <= max_attempts)
);
create index transcode_job_claimable on transcode_job (next_run_at) where state = 'queued';
create index transcode_job_running_lease on transcode_job (lease_expires_at) where state = 'running';
create index transcode_job_recent on transcode_job (queued_at desc, id desc);

create table transcode_attempt (
    job_id              uuid not null references transcode_job (id) on delete cascade,
    attempt             integer not null check (attempt >= 1),
    worker              text not null,
    started_at          timestamptz not null default now(),
    finished_at         timestamptz,
    outcome             text check (outcome in ('succeeded', 'retry', 'failed', 'cancelled', 'lease_lost')),
    error_message       text,
    error_log_tail      text,
    encode_speed        real,
    primary key (job_id, attempt)
);

create table worker_heartbeat (
    worker              text primary key,
    current_job_id      uuid references transcode_job (id) on delete set null,
    started_at          timestamptz not null default now(),
    last_seen_at        timestamptz not null default now()
);

-- ---------------------------------------------------------------- paywall
create table wallet (
    viewer_id           text primary key,
    paid_coins          bigint not null default 0 check (paid_coins >= 0),
    bonus_coins         bigint not null default 0 check (bonus_coins >= 0),
    vip_until           timestamptz,
    auto_unlock         boolean not null default false,
    updated_at          timestamptz not null default now()
);

-- Append-only: the balance always equals the sum of a viewer's ledger rows.
create table ledger (
    id                  bigint generated always as identity primary key,
    viewer_id           text not null references wallet (viewer_id),
    paid_delta          bigint not null,
    bonus_delta         bigint not null,
    reason              text not null check (reason in ('topup', 'bonus', 'unlock', 'batch_unlock', 'refund', 'adjustment')),
    reference           text,
    episode_id          uuid references episode (id) on delete set null,
    created_at          timestamptz not null default now(),
    check (paid_delta <> 0 or bonus_delta <> 0)
);
create index ledger_viewer on ledger (viewer_id, id desc);
-- A store purchase is credited once, whatever the number of retries.
create unique index ledger_topup_once on ledger (reference) where reason = 'topup';

create table unlock (
    viewer_id           text not null,
    episode_id          uuid not null references episode (id) on delete cascade,
    method              text not null check (method in ('coins', 'batch', 'ad', 'grant')),
    ledger_id           bigint references ledger (id),
    created_at          timestamptz not null default now(),
    primary key (viewer_id, episode_id)
);

create table idempotency_record (
    viewer_id           text not null,
    key                 text not null check (length(key) between 1 and 200),
    request_hash        text not null,
    status              integer not null,
    response            jsonb not null,
    created_at          timestamptz not null default now(),
    primary key (viewer_id, key)
);

create table vip_grant (
    grant_id            text primary key,
    viewer_id           text not null,
    vip_until           timestamptz not null,
    created_at          timestamptz not null default now()
);

create table ad_reward (
    transaction_id      text primary key,
    viewer_id           text not null,
    episode_id          uuid not null references episode (id) on delete cascade,
    created_at          timestamptz not null default now()
);
create index ad_reward_viewer_day on ad_reward (viewer_id, created_at);

-- ---------------------------------------------------------------- viewer activity
create table watch_progress (
    viewer_id           text not null,
    episode_id          uuid not null references episode (id) on delete cascade,
    position_ms         integer not null check (position_ms >= 0),
    completed           boolean not null default false,
    updated_at          timestamptz not null default now(),
    primary key (viewer_id, episode_id)
);
create index watch_progress_recent on watch_progress (viewer_id, updated_at desc);

create table favourite (
    viewer_id           text not null,
    series_id           uuid not null references series (id) on delete cascade,
    created_at          timestamptz not null default now(),
    primary key (viewer_id, series_id)
);
