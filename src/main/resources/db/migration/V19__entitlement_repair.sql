-- Entitlement cache writes that did not reach Redis (it was cut, or left alone after a failure), remembered in the
-- database that holds the unlocks themselves, until the cached keys are dropped once Redis answers again
-- (paywall/EntitlementRepair). Without it a viewer's cached lock state missed an unlock made during a Redis cut and
-- stayed wrong until the key expired.
create table entitlement_repair (
    id bigserial primary key,
    viewer_id text not null,
    series_id uuid,                                  -- null: the viewer's cached VIP expiry
    created_at timestamptz not null default now()
);
