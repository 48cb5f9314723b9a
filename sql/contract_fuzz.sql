-- Mutation fuzz of contract_validate (PL/pgSQL, so not libFuzzer): the
-- example contracts of docs/contracts.md and the money_contracts test,
-- changed at random (seeded, so every run is the same) by deleting or
-- replacing fields at any depth, adding unknown fields, wrong types, NaN
-- and infinity as text, huge and tiny numbers, impossible dates, long
-- strings and deep nesting. Every call must either return or fail with a
-- SQLSTATE other than XX000 (internal error); a crash fails the suite.
CREATE TEMP TABLE seed (doc jsonb);
INSERT INTO seed VALUES
('{"name": "The Advance Programme (DWP Innovation Fund)", "source": "INDIGO-POJ-0138",
  "currency": "GBP", "start": "2012-04-01", "period": "quarter", "payer": "other",
  "investment": [{"day": "2012-04-01", "amount": 3000000}], "programme_cap": 3400000,
  "components": [{"type": "rate_card", "name": "dwp_if_card_a", "per_participant_cap": 11700, "outcomes": [
    {"outcome": "behaviour", "price": 1300}, {"outcome": "attendance", "price": 800},
    {"outcome": "job13", "price": 2600}, {"outcome": "job26", "price": 1000, "requires": ["job13"]}]}]}'),
('{"name": "HMP Peterborough One Service", "currency": "GBP", "start": "2010-09-01", "period": "quarter",
  "payer": "other", "investment": 5000000,
  "components": [{"type": "threshold", "name": "reconvictions", "metric": "reconviction_events",
    "direction": "lower_is_better", "cohort_threshold": 0.10, "overall_threshold": 0.075,
    "price": 20800, "per": 100, "cap": 8000000}]}'),
('{"name": "Koto-SIB", "currency": "EUR", "start": "2016-09-01", "period": "year", "payer": "other",
  "investment": 14300000, "components": [{"type": "gain_share", "name": "public_gain", "metric": "public_gain",
  "share": 0.5, "fees": [{"outcome": "integration_training", "price": 1500}]}]}'),
('{"name": "DK savings SIB", "currency": "DKK", "start": "2024-01-01", "period": "year",
  "investment": 1000000, "return_cap": {"rate": 0.12},
  "components": [{"type": "savings", "category": "kontanthjaelp", "price_per_week": 2844.461538461538461538,
  "share": 0.5, "seniority": 53}]}'),
('{"name": "rt", "currency": "DKK", "start": "2022-01-01", "components": [{"type": "resultattilskud", "cap": 100000}]}');

-- replacement values: wrong types, non-numbers, extremes, bad dates, deep nesting
CREATE TEMP TABLE evil (v jsonb);
INSERT INTO evil VALUES ('"NaN"'), ('"Infinity"'), ('"-Infinity"'), ('"nan"'), ('1e308'), ('-1e308'),
	('1e1000'), ('-1e1000'), ('1e-1000'), ('0'), ('-0'), ('-1'), ('0.5'), ('2147483648'),
	('123456789012345678901234567890.123456789'), ('""'), ('" "'), ('null'), ('true'), ('false'),
	('[]'), ('{}'), ('[null]'), ('[{}]'), ('{"type": null}'), ('"2024-02-30"'), ('"0001-01-01"'),
	('"9999-12-31"'), ('"infinity"'), ('"-infinity"'), ('"2024-01-01T00:00"'), ('"%s%n%d"'),
	('"rate_card"'), ('"threshold"'), ('"gain_share"'), ('"savings"'), ('"resultattilskud"'),
	('"job13"'), ('["job13", "job13"]'), ('"kontanthjaelp"'), ('"quarter"'), ('"month"'),
	(to_jsonb(repeat('x', 10000))), ((repeat('[', 200) || repeat(']', 200))::jsonb),
	((repeat('{"a":', 200) || '1' || repeat('}', 200))::jsonb);

-- every path (array of keys and indexes) inside a document
CREATE FUNCTION pg_temp.paths(doc jsonb) RETURNS text[] LANGUAGE sql AS $$
	WITH RECURSIVE p(path, v) AS (
		SELECT '{}'::text[], doc
		UNION ALL
		SELECT p.path || e.k, e.v
		FROM p, LATERAL (
			SELECT key AS k, value AS v FROM jsonb_each(CASE WHEN jsonb_typeof(p.v) = 'object' THEN p.v END)
			UNION ALL
			SELECT (o - 1)::text, value FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.v) = 'array' THEN p.v END)
				WITH ORDINALITY a(value, o)) e
		WHERE cardinality(p.path) < 6)
	SELECT array_agg(array_to_string(path, chr(1))) FROM p WHERE cardinality(path) > 0
$$;

CREATE FUNCTION pg_temp.mutate(doc jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	ps text[] := pg_temp.paths(doc);
	p text[];
	n int := 1 + floor(random() * 3)::int;
	ev jsonb;
BEGIN
	FOR i IN 1..n LOOP
		EXIT WHEN ps IS NULL;
		p := string_to_array(ps[1 + floor(random() * cardinality(ps))::int], chr(1));
		SELECT v INTO ev FROM evil OFFSET floor(random() * (SELECT count(*) FROM evil)) LIMIT 1;
		CASE floor(random() * 5)::int
			WHEN 0 THEN doc := doc #- p;					-- delete a field or element
			WHEN 1, 2 THEN doc := jsonb_set(doc, p, ev);	-- replace a value
			WHEN 3 THEN										-- an unknown field, an extra element
				IF jsonb_typeof(doc #> p[1:cardinality(p) - 1]) = 'object' THEN
					doc := jsonb_set(doc, p[1:cardinality(p) - 1] || ARRAY['x' || floor(random() * 3)::text], ev);
				ELSE
					doc := jsonb_insert(doc, p, ev);
				END IF;
			ELSE											-- a number as text, a text as number
				doc := jsonb_set(doc, p, CASE jsonb_typeof(doc #> p)
					WHEN 'number' THEN to_jsonb((doc #> p)::text)
					WHEN 'string' THEN '1e100'::jsonb ELSE '[1, "a", null]'::jsonb END);
		END CASE;
		ps := pg_temp.paths(doc);
	END LOOP;
	RETURN doc;
END
$$;

SELECT setseed(0.1207);
-- the unchanged seeds validate
SELECT bool_and(contract_validate(doc) IS NOT NULL) AS seeds_valid FROM seed;
CREATE TEMP TABLE outcome (i int, doc jsonb, state text, message text);
DO $$
DECLARE
	d jsonb;
	st text;
	msg text;
BEGIN
	FOR i IN 1..1500 LOOP
		SELECT pg_temp.mutate(doc) INTO d FROM seed OFFSET (i % 5) LIMIT 1;
		BEGIN
			PERFORM contract_validate(d);
			st := 'ok';
			msg := NULL;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		END;
		INSERT INTO outcome VALUES (i, d, st, msg);
	END LOOP;
END
$$;

-- both outcomes occur, and no call failed with an internal error
SELECT count(*) AS calls, count(*) FILTER (WHERE state = 'ok') > 50 AS some_valid,
	count(*) FILTER (WHERE state <> 'ok') > 500 AS many_rejected,
	count(*) FILTER (WHERE state = 'XX000') AS internal_errors
FROM outcome;
-- the documents that caused one (none expected)
SELECT i, state, message, doc FROM outcome WHERE state = 'XX000' OR state IS NULL ORDER BY i;
-- every rejection is a data or parameter error (classes 22, 23, 42 or 54), not a lost connection or a bug
SELECT count(*) AS other_classes FROM outcome
WHERE state <> 'ok' AND left(state, 2) NOT IN ('22', '23', '42', '54');
