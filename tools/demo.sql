-- The demo headline over the synthetic register in schema demo.
\pset footer off
\echo '== Self-sufficiency by half-year: share of observed weeks without public benefit (strict),'
\echo '   per person from arrival, averaged over persons; mentored at some point vs never mentored'
WITH span AS (
	SELECT min(path_start(path)) AS first_week, max(path_end(path)) AS last_week FROM demo.path
), halves AS (
	SELECT h::date AS h_from, (h + interval '6 months' - interval '1 day')::date AS h_to
	FROM span, generate_series(date_trunc('year', first_week + 7), last_week, interval '6 months') AS h
)
SELECT to_char(h_from, 'YYYY') || CASE WHEN extract(month FROM h_from) = 1 THEN '-H1' ELSE '-H2' END AS period,
       round((100 * rate_person_weighted(selfsufficiency_state(path, h_from, h_to, 'strict') FILTER (WHERE mentored)))::numeric, 1) AS "mentored %",
       round((100 * rate_person_weighted(selfsufficiency_state(path, h_from, h_to, 'strict') FILTER (WHERE NOT mentored)))::numeric, 1) AS "never mentored %"
FROM halves CROSS JOIN demo.path
GROUP BY h_from ORDER BY h_from;

\echo
\echo '== Effect of mentoring: difference-in-differences of each person''s self-sufficiency share in the'
\echo '   52 weeks before and after the mentor start. Controls: never-mentored persons who had arrived'
\echo '   78+ weeks before a start week, anchored at that week (stacked, so standard errors'
\echo '   are clustered by person, CR1); controls weighted to the mentored of each start week.'
CREATE TEMP TABLE demo_did AS
WITH starts AS (
	SELECT mentor_start AS s, count(*) AS n_t FROM demo.path WHERE mentored GROUP BY 1
), stacked AS (
	SELECT true AS treated, person_id, mentor_start AS s, path FROM demo.path WHERE mentored
	UNION ALL
	SELECT false, p.person_id, st.s, p.path
	FROM starts st JOIN demo.path p ON NOT p.mentored AND p.arrival_week <= week_add(st.s, -78)
)
SELECT treated, person_id, s,
       selfsufficiency_share(path, week_add(s, -52), week_add(s, -1), 'strict') AS pre,
       selfsufficiency_share(path, week_add(s, 1), week_add(s, 52), 'strict') AS post
FROM stacked;
-- Within each start week the controls together weigh as much as the
-- mentored of that week, so calendar effects cancel stack by stack.
CREATE TEMP TABLE demo_did_w AS
SELECT d.*, CASE WHEN treated THEN 1.0
                 ELSE (count(*) FILTER (WHERE treated AND pre IS NOT NULL AND post IS NOT NULL) OVER w)::float8
                      / (count(*) FILTER (WHERE NOT treated AND pre IS NOT NULL AND post IS NOT NULL) OVER w) END AS weight
FROM demo_did d WINDOW w AS (PARTITION BY s);
SELECT round(r.estimate::numeric, 3) AS "DiD effect",
       format('[%s, %s]', round(r.conf_low::numeric, 3), round(r.conf_high::numeric, 3)) AS "95% CI",
       round(r.std_error::numeric, 4) AS "SE (CR1)",
       r.n_treated AS mentored, r.n_control AS "control rows",
       round(r.mean_post_treated::numeric - r.mean_post_control::numeric, 3) AS "naive post-only",
       (SELECT round(avg(true_share_treated - true_share_untreated)::numeric, 3) FROM demo.mentoring) AS "planted truth"
FROM (SELECT (did_weighted(pre, post, treated, weight, person_id)).* FROM demo_did_w WHERE weight > 0) r;
\echo '   (the naive post-only comparison is biased: mentors went to citizens with weaker prospects)'

-- The monitoring report (docs/monitoring.md, section 9): the BI views of the
-- register's schema, and an example outcome contract for the municipality
-- with the most courses (20,000 DKK per course self-supporting 26 weeks
-- after its start, 30,000 more when durably so at 52 weeks), whose payout
-- schedule the report shows. tools/demo.sh then writes the report.
SET client_min_messages = warning;
SELECT monitor_setup('demo') \gset
SELECT monitor_create_views('demo') \gset
INSERT INTO demo.contract
SELECT municipality, programme, contract_validate('{
  "name": "Demo mentor contract", "currency": "DKK", "start": "2019-01-01", "period": "quarter",
  "programme_cap": 5000000,
  "components": [{"type": "rate_card", "name": "self_support", "outcomes": [
    {"outcome": "selfsupporting_6m", "price": 20000},
    {"outcome": "durable_12m", "price": 30000, "requires": ["selfsupporting_6m"]}]}]}')
FROM demo.course GROUP BY municipality, programme
ORDER BY count(*) DESC, municipality, programme LIMIT 1
ON CONFLICT DO NOTHING;
RESET client_min_messages;
