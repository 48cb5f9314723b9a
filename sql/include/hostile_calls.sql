-- Calls of hostile_search_path.sql, run once per setting of :run (clean,
-- temp, evil). Nothing here names a type, function or operator of its own:
-- the session may have hijacked every name. Results go into tables made
-- while the session was clean.
INSERT INTO hsp.attgt SELECT :'run', 'int', cohort, period, estimate, std_error, n_treated, n_control
FROM att_gt('hsp.panel', 'lemp', 'countyreal', 'year', 'first_treat', cluster_column => 'grp');
INSERT INTO hsp.attgt SELECT :'run', 'cov', cohort, period, estimate, std_error, n_treated, n_control
FROM att_gt('hsp.panel', 'lemp', 'countyreal', 'year', 'first_treat',
	covariate_columns => ARRAY['lpop'], weight_column => 'w', cluster_column => 'grp', est_method => 'dr');
INSERT INTO hsp.attgt SELECT :'run', 'num', cohort, period, estimate, std_error, n_treated, n_control
FROM att_gt('hsp.panel_num', 'lemp', 'countyreal', 'year', 'first_treat',
	covariate_columns => ARRAY['lpop'], weight_column => 'w', cluster_column => 'grp', control_group => 'notyettreated');
INSERT INTO hsp.attgt_agg SELECT :'run', type, level, key, estimate, std_error
FROM att_gt_aggregate('hsp.panel', 'lemp', 'countyreal', 'year', 'first_treat', 'dynamic', cluster_column => 'grp');
INSERT INTO hsp.did SELECT :'run', relative_period, estimate, std_error, n_treated, n_control
FROM did_event_study('hsp.ev', outcome_column => 'y', unit_column => 'person', period_column => 'rel', treated_column => 'treated', cluster_column => 'grp');
INSERT INTO hsp.paths SELECT :'run', person_id, path FROM benefit_paths_scan('hsp_gen_clean.benefit_week');
INSERT INTO hsp.unmapped SELECT :'run', code, weeks, first_week, last_week
FROM unmapped_codes('hsp.weeks', 'code', 'week');
INSERT INTO hsp.states SELECT :'run', c.code, c.profile, benefit_state(c.code, '2021-03-01', c.profile),
	benefit_category(c.code, '2021-03-01')
FROM hsp.codes c;
INSERT INTO hsp.rates SELECT :'run', p.profile,
	selfsufficiency_state(g.path, '2019-03-04', '2020-06-29', p.profile)
FROM hsp.genpaths g CROSS JOIN hsp.profiles p GROUP BY p.profile;
INSERT INTO hsp.shares SELECT :'run', g.person_id, p.profile,
	selfsufficiency_share(g.path, '2019-03-04', '2020-06-29', p.profile)
FROM hsp.genpaths g CROSS JOIN hsp.profiles p;
INSERT INTO hsp.money SELECT :'run', g.person_id, c.period, c.benefit_weeks, c.priced_weeks, c.gross, c.kommune, c.stat
FROM hsp.genpaths g, LATERAL path_benefit_cost(g.path, '2019-01-07', '2020-06-29', 'quarter',
	price_date => '2024-06-01', profile => 'with_education') c;
INSERT INTO hsp.money SELECT :'run', 0, c.period, c.avoided_weeks, c.unpriced_weeks, c.gross, c.kommune, c.stat
FROM path_savings('2024-01-01:130x60', '2024-01-01:130x20', '2024-01-01', '2025-03-01', 'year',
	price_date => '2024-06-01') c;
INSERT INTO hsp.scalars SELECT :'run', 'rate_at', benefit_rate_at('kontanthjaelp', '2024-06-03');
INSERT INTO hsp.scalars SELECT :'run', 'kommune_share', kommune_share('refusion', 30, '2024-06-03');
INSERT INTO hsp.scalars SELECT :'run', 'savings', gross FROM benefit_savings(250, 'kontanthjaelp', '2024-06-03', 60);
INSERT INTO hsp.contract SELECT :'run', 'schedule', s.period, s.amount_due
FROM contract_schedule('{"name": "card", "currency": "GBP", "start": "2012-04-01", "period": "quarter", "components": [{"type": "rate_card", "name": "card", "per_participant_cap": 5000, "outcomes": [{"outcome": "attendance", "price": 1400}, {"outcome": "nqf2", "price": 3300}, {"outcome": "job13", "price": 3500}]}]}',
	'hsp.rc_out') s;
INSERT INTO hsp.contract SELECT :'run', s.party, s.day, s.amount
FROM contract_cashflows('{"name": "card", "currency": "GBP", "start": "2012-04-01", "period": "quarter", "investment": 1000, "components": [{"type": "rate_card", "name": "card", "per_participant_cap": 5000, "outcomes": [{"outcome": "attendance", "price": 1400}, {"outcome": "nqf2", "price": 3300}, {"outcome": "job13", "price": 3500}]}]}',
	'hsp.rc_out') s;
SELECT generate_register(:'gen', 30, 7, 40, replace => true);
