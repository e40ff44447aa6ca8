-- Money you can audit: store reversals leave a debt instead of a negative balance, every store event is kept by its
-- id (so replays change nothing), and the ledger carries every change: coins, debt, VIP and operators' adjustments.
alter table wallet add column debt_coins bigint not null default 0 check (debt_coins >= 0);

alter table ledger add column debt_delta bigint not null default 0,
                   add column note text check (note is null or length(note) between 1 and 500);
alter table ledger drop constraint ledger_reason_check;
alter table ledger add constraint ledger_reason_check check (reason in ('topup', 'bonus', 'unlock', 'batch_unlock',
    'refund', 'chargeback', 'debt_settlement', 'adjustment', 'vip_grant', 'vip_renew', 'vip_lapse', 'vip_revoke'));
-- A row moves coins or debt, except the VIP rows, which record a change of the pass.
alter table ledger drop constraint ledger_check;
alter table ledger add constraint ledger_moves_something check (
    paid_delta <> 0 or bonus_delta <> 0 or debt_delta <> 0 or reason like 'vip\_%');
alter table ledger add constraint ledger_adjustment_says_why check (reason <> 'adjustment' or note is not null);
-- A purchase is reversed at most once, whatever the number of store notifications.
create unique index ledger_reversal_once on ledger (reference) where reason in ('refund', 'chargeback');

-- Store notifications (refunds, chargebacks, subscription renewals, lapses, revocations), once per event id.
create table store_event (
    event_id            text primary key check (length(event_id) between 1 and 200),
    kind                text not null,
    viewer_id           text not null,
    request             jsonb not null,
    result              jsonb not null,
    created_at          timestamptz not null default now()
);
