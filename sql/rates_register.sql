-- The generator's register: paths from person-weeks and from spells agree,
-- rates over the long table agree with plain SQL, and every mentored
-- person's strict share equals the planted truth.
SET datestyle = ISO;
SET client_min_messages = warning;
CREATE SCHEMA rr;
SELECT generate_register('rr', 1500, 20261125, weeks => 120);
RESET client_min_messages;
SELECT (SELECT value FROM rr.register_info WHERE key = 'first_week') AS first_week,
       (SELECT value FROM rr.register_info WHERE key = 'last_week') AS last_week,
       (SELECT count(*) FROM rr.benefit_week) > 0 AS has_weeks;
\set first '(SELECT value::date FROM rr.register_info WHERE key = ''first_week'')'
\set last '(SELECT value::date FROM rr.register_info WHERE key = ''last_week'')'

-- paths of every person, from the long table and from the spells, covering the register
CREATE TEMP TABLE rr_path AS
SELECT p.person_id, p.municipality, p.arrival_week,
       path_cover(w.path, :first, :last) AS from_weeks,
       path_cover(s.path, :first, :last) AS from_spells
FROM rr.person p
LEFT JOIN (SELECT person_id, benefit_path(week, code) AS path FROM rr.benefit_week GROUP BY 1) w USING (person_id)
LEFT JOIN (SELECT person_id, benefit_path_from_spells(from_week, to_week, code) AS path FROM rr.benefit_spell GROUP BY 1) s USING (person_id);
SELECT count(*) AS persons, count(*) FILTER (WHERE from_weeks = from_spells) AS weeks_and_spells_equal,
       count(*) FILTER (WHERE path_weeks(from_weeks) = 120) AS full_span
FROM rr_path;

-- the planted truth: share over [start + 1, start + 52] of the observed (treated) path
SELECT count(*) AS mentored,
       count(*) FILTER (WHERE (m.true_share_treated IS NULL AND s.share IS NULL)
                           OR abs(m.true_share_treated - s.share) <= 1e-12) AS share_equals_truth
FROM rr.mentoring m JOIN rr_path p USING (person_id),
     LATERAL (SELECT selfsufficiency_share(p.from_weeks, week_add(m.start_week, 1), week_add(m.start_week, 52)) AS share) s;

-- rate per municipality in the first 52 weeks after arrival (arrivals inside the register):
-- the extension over the long table vs plain SQL over the long table and the code map
CREATE TEMP TABLE rr_ref AS
SELECT p.person_id, p.municipality,
       count(*) FILTER (WHERE s.st = 'self') AS self_weeks,
       count(*) FILTER (WHERE s.st IN ('self', 'benefit', 'unknown')) AS observed_weeks
FROM rr.person p CROSS JOIN generate_series(1, 52) k
LEFT JOIN rr.benefit_week b ON b.person_id = p.person_id AND b.week = week_add(p.arrival_week, k)
CROSS JOIN LATERAL (SELECT CASE WHEN week_add(p.arrival_week, k) > :last THEN 'unobserved'
                                ELSE benefit_state(b.code, week_add(p.arrival_week, k)) END AS st) s
WHERE p.arrival_week >= :first
GROUP BY 1, 2;
SELECT count(*) AS municipalities,
       count(*) FILTER (WHERE abs(rate_person_weighted(x.s) - r.pw) < 1e-12) AS person_weighted_agree,
       count(*) FILTER (WHERE rate_week_weighted(x.s) = r.ww) AS week_weighted_equal,
       count(*) FILTER (WHERE (rate_counts(x.s)).persons = r.n) AS persons_equal
FROM (SELECT municipality, selfsufficiency_state(from_weeks, week_add(arrival_week, 1), week_add(arrival_week, 52), 'strict') AS s
      FROM rr_path WHERE arrival_week >= :first GROUP BY 1) x
JOIN (SELECT municipality, avg(self_weeks::float8 / observed_weeks) FILTER (WHERE observed_weeks > 0) AS pw,
             sum(self_weeks)::float8 / nullif(sum(observed_weeks), 0) AS ww,
             count(*) FILTER (WHERE observed_weeks > 0) AS n
      FROM rr_ref GROUP BY 1) r USING (municipality)
WHERE r.n > 0;

-- full-time equivalents of kontanthjaelp in the register's first 52 weeks vs plain SQL
SELECT abs(fte(s) - ref.weeks / 52.0) < 1e-12 AS fte_equal, fte_persons(s) = ref.persons AS persons_equal
FROM (SELECT fte_state(from_weeks, :first, week_add(:first, 51), ARRAY['kontanthjaelp']) AS s FROM rr_path) x,
     (SELECT count(*) AS weeks, count(DISTINCT person_id) AS persons FROM rr.benefit_week
      WHERE week BETWEEN :first AND week_add(:first, 51) AND benefit_category(code, week) = 'kontanthjaelp') ref;

SET client_min_messages = warning;	-- the generated register's tables (a list that grows)
DROP SCHEMA rr CASCADE;
