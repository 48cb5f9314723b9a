-- Benefit-code map and classification profiles.
SELECT count(*) > 0 AS has_rows, count(DISTINCT category) AS categories
FROM benefit_code WHERE source = 'shipped';

-- M1 (docs/methods.md, week states): states under the three shipped profiles
SELECT p.profile,
       benefit_state(NULL, '2024-01-01', p.profile) AS no_code,
       benefit_state(130, '2024-01-01', p.profile) AS kontanthjaelp,
       benefit_state(651, '2024-01-01', p.profile) AS su,
       benefit_state(881, '2024-01-01', p.profile) AS barsel,
       benefit_state(121, '2024-01-01', p.profile) AS ferie,
       benefit_state(212, '2024-01-01', p.profile) AS aktivering,
       benefit_state(997, '2024-01-01', p.profile) AS emigrated,
       benefit_state(4242, '2024-01-01', p.profile) AS unmapped
FROM (VALUES ('strict'), ('with_education'), ('with_leave')) p(profile);

SELECT benefit_category(NULL, '2024-01-01') AS null_code,
       benefit_category(111, '2024-01-01') AS c111,
       benefit_category(781, '2024-01-01') AS c781,
       benefit_category(700, '2024-01-01') AS c700;

-- default profile is strict
SELECT benefit_state(651, '2024-01-01') AS su_default;

-- a user override for a period takes precedence over the shipped row
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (130, 'kontanthjaelp_special', true, '2024-01-01', '2025-01-01');
SELECT benefit_state(130, '2023-12-25') AS before_override,
       benefit_state(130, '2024-06-03') AS during_override,
       benefit_state(130, '2025-01-06') AS after_override,
       benefit_category(130, '2024-06-03') AS category_during;

-- SQLSTATEs of the errors below
\i sql/include/expect_error.sql
SELECT pg_temp.expect_error($$INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
  VALUES (130, 'kontanthjaelp', false, '2024-06-01', '2026-01-01')$$) AS e
UNION ALL SELECT pg_temp.expect_error($$UPDATE benefit_code SET self_supporting = true WHERE code = 131$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT benefit_state(130, '2024-01-01', 'lenient')$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT benefit_state(130, 'infinity')$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT * FROM unmapped_codes('pg_class', 'relname', 'nope')$$)
UNION ALL SELECT pg_temp.expect_error($$SELECT * FROM unmapped_codes(0::regclass, 'code', 'week')$$);
-- overlapping user periods are rejected
INSERT INTO benefit_code (code, category, self_supporting, valid_from, valid_to)
VALUES (130, 'kontanthjaelp', false, '2024-06-01', '2026-01-01');
-- shipped rows cannot be edited or inserted by users
UPDATE benefit_code SET self_supporting = true WHERE code = 131 AND source = 'shipped';
DELETE FROM benefit_code WHERE code = 131;
INSERT INTO benefit_code (code, category, self_supporting, source) VALUES (4242, 'x', false, 'shipped');
-- categories none/unknown are reserved; censored rows cannot be self-supporting
INSERT INTO benefit_code (code, category, self_supporting) VALUES (4242, 'unknown', false);
INSERT INTO benefit_code (code, category, self_supporting, censor) VALUES (4242, 'gone', true, true);
DELETE FROM benefit_code WHERE source = 'user';

-- unknown profile
SELECT benefit_state(130, '2024-01-01', 'lenient');
SELECT benefit_state(130, '2024-01-01', NULL);

-- a user profile
INSERT INTO classification_profile VALUES ('sick_is_self', 'test profile');
INSERT INTO classification_rule VALUES ('sick_is_self', 'sygedagpenge', true);
SELECT benefit_state(890, '2024-01-01', 'sick_is_self') AS sick, benefit_state(890, '2024-01-01') AS sick_strict;
DELETE FROM classification_profile WHERE profile = 'sick_is_self';

-- the warning path for unmapped codes
CREATE TABLE cm_weeks (pnr int, week date, code int);
INSERT INTO cm_weeks VALUES (1, '2024-01-01', 130), (1, '2024-01-08', 4242), (2, '2024-01-15', 4242),
  (2, '2024-01-22', 700), (3, '2024-01-22', NULL);
SELECT * FROM unmapped_codes('cm_weeks', 'code', 'week');
SELECT * FROM unmapped_codes('cm_weeks', 'kode', 'week');
-- column types that cannot work: one line naming the argument (was a raw 42883 operator error)
CREATE TEMP TABLE cm_weeks_text AS SELECT code::text AS code, week::text AS week_text, week FROM cm_weeks;
SELECT pg_temp.expect_error($$SELECT * FROM unmapped_codes('cm_weeks_text', 'code', 'week')$$) AS e
UNION ALL SELECT pg_temp.expect_error($$SELECT * FROM unmapped_codes('cm_weeks', 'code', 'code')$$);
DROP TABLE cm_weeks;

-- user rows are kept by pg_dump, shipped rows are not
SELECT c.relname, d.cond
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS d(oid, cond)
JOIN pg_class c ON c.oid = d.oid
WHERE e.extname = 'socialinvest' ORDER BY 1;

-- shipped profiles and rules are guarded like shipped codes
SELECT pg_temp.expect_error($$DELETE FROM classification_profile WHERE profile = 'strict'$$) AS e
UNION ALL SELECT pg_temp.expect_error($$UPDATE classification_rule SET self_supporting = false WHERE profile = 'with_education' AND category = 'su'$$)
UNION ALL SELECT pg_temp.expect_error($$INSERT INTO classification_profile VALUES ('mine', 'x', 'shipped')$$);
