-- The national campaign (data, not code). Budget about that of the real Mynapoint phase 2
-- (1.8 trillion yen for up to 20,000 points per person); the period keeps it open for the demo.
insert into campaign (id, name, budget, granted, starts_at, ends_at, created_by, created_at)
values ('mynapoint-2', 'マイナポイント第2弾', 1800000000000, 0,
        timestamp with time zone '2026-01-01 00:00:00+09:00', timestamp with time zone '2028-03-31 23:59:59+09:00',
        'migration', timestamp with time zone '2026-01-01 00:00:00+09:00');

insert into campaign_rule (id, campaign_id, rule, kind, amount, percent, cap)
values (1, 'mynapoint-2', 'card-acquisition', 'percent-back', null, 25, 5000),
       (2, 'mynapoint-2', 'insurance-link', 'fixed', 7500, null, 7500),
       (3, 'mynapoint-2', 'public-fund-account', 'fixed', 7500, null, 7500);

insert into ledger_account (id, campaign_id, kind, owner, balance, debits, credits)
values (1, 'mynapoint-2', 'budget', 'budget', 0, 0, 0);
