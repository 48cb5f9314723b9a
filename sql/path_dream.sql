-- The DREAM wide sample (test/data/dream_sample): load the lines in SQL,
-- identify the three bad lines, build paths, and check every person's
-- strict share against expected.csv.
SET datestyle = ISO;
\getenv abs_srcdir PG_ABS_SRCDIR
\set f :abs_srcdir '/data/dream_sample/dream.csv'
CREATE TEMP TABLE raw (line_no bigint GENERATED ALWAYS AS IDENTITY, line text);
COPY raw (line) FROM :'f';
SELECT count(*) AS lines FROM raw;

CREATE TEMP TABLE header AS
SELECT string_to_array(line, ';') AS cols FROM raw WHERE line_no = 1;
SELECT cardinality(cols) AS columns, cols[1] AS first, cols[3] AS first_week_col, cols[cardinality(cols)] AS last_week_col,
       week_from_dream_column(cols[55]) AS col_55_week, cols[55] AS col_55
FROM header;

-- every line checked: field count, then each code field empty or 1..9999
CREATE TEMP TABLE checked AS
SELECT r.line_no, f.fields,
       CASE WHEN cardinality(f.fields) < cardinality(h.cols)
                 THEN format('%s fields, %s expected (short line)', cardinality(f.fields), cardinality(h.cols))
            WHEN cardinality(f.fields) > cardinality(h.cols)
                 THEN format('%s fields, %s expected (extra columns)', cardinality(f.fields), cardinality(h.cols))
            ELSE (SELECT format('column %s (%s): code %L is not a number 1..9999', i, h.cols[i], v)
                  FROM unnest(f.fields[3:]) WITH ORDINALITY u(v, i0), LATERAL (SELECT i0 + 2 AS i) ii
                  WHERE v <> '' AND (v !~ '^[0-9]{1,4}$' OR v::int = 0)
                  ORDER BY i LIMIT 1)
       END AS reject_reason
FROM raw r CROSS JOIN header h, LATERAL (SELECT string_to_array(r.line, ';') AS fields) f
WHERE r.line_no > 1;
SELECT line_no, fields[1] AS pnr, reject_reason FROM checked WHERE reject_reason IS NOT NULL ORDER BY line_no;

-- the good lines, unpivoted to person-weeks (empty = no benefit) and built into paths
CREATE TEMP TABLE dream_path AS
SELECT c.fields[1]::bigint AS pnr, c.fields[2]::int AS kom,
       benefit_path(week_from_dream_column(h.cols[u.i + 2]), nullif(u.v, '')::int) AS path
FROM checked c CROSS JOIN header h,
     LATERAL unnest(c.fields[3:]) WITH ORDINALITY u(v, i)
WHERE c.reject_reason IS NULL
GROUP BY 1, 2;
SELECT count(*) AS persons, min(path_start(path)) AS first_week, max(path_end(path)) AS last_week,
       min(path_weeks(path)) AS min_weeks, max(path_weeks(path)) AS max_weeks
FROM dream_path;

\set f :abs_srcdir '/data/dream_sample/expected.csv'
CREATE TEMP TABLE expected (pnr bigint, kom int, from_week date, to_week date, share float8);
COPY expected FROM :'f' (FORMAT csv, HEADER true);

SELECT count(*) AS persons_compared,
       count(*) FILTER (WHERE e.share IS NULL) AS expected_null,
       count(*) FILTER (WHERE (e.share IS NULL AND s.share IS NULL) OR abs(e.share - s.share) <= 1e-12) AS agree,
       count(*) FILTER (WHERE e.kom <> d.kom) AS kom_differs
FROM expected e
LEFT JOIN dream_path d USING (pnr)
LEFT JOIN LATERAL (SELECT selfsufficiency_share(d.path, e.from_week, e.to_week) AS share) s ON true;
-- any disagreement, listed
SELECT e.pnr, e.share AS expected, selfsufficiency_share(d.path, e.from_week, e.to_week) AS got
FROM expected e LEFT JOIN dream_path d USING (pnr)
WHERE NOT ((e.share IS NULL AND selfsufficiency_share(d.path, e.from_week, e.to_week) IS NULL)
           OR abs(e.share - selfsufficiency_share(d.path, e.from_week, e.to_week)) <= 1e-12)
ORDER BY e.pnr LIMIT 10;

-- compact storage: text form round-trips for every person
SELECT count(*) FILTER (WHERE path::text::benefit_path::text = path::text) AS text_round_trips,
       sum(pg_column_size(path)) AS path_bytes
FROM dream_path;
