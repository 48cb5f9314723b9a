-- 0.2.0 -> 0.3.0, branch h4-ids-cr1 (issue 13, items 6 and 8).

-- did: the CR1 small-sample factor by name (small_sample), default 'stata'.
-- New trailing argument: the old signatures are dropped, not overloaded.
DROP FUNCTION did_result(did_state, text, float8, text);
CREATE FUNCTION did_result(state did_state, variance text DEFAULT NULL, level float8 DEFAULT 0.95,
						   distribution text DEFAULT 't', small_sample text DEFAULT NULL) RETURNS did_result
	AS 'MODULE_PATHNAME', 'si_did_result' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_result(did_state, text, float8, text, text) IS
'Everything about a did_state: effect, standard error under variance (welch, classical/pooled, HC0-HC3, CR0, CR1; NULL = default), interval at level, p-value (t or normal reference), counts and means. small_sample names the CR1 factor: stata (NULL = default; Stata/sandwich on the stacked two-rows-per-person panel), person (the person-level change regression) or g_only.';

DROP FUNCTION did_std_error(did_state, text);
CREATE FUNCTION did_std_error(state did_state, variance text DEFAULT NULL, small_sample text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_std_error' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_std_error(did_state, text, text) IS 'Standard error of the effect under the named variance estimator (NULL = default: CR1 with a cluster, HC1 with covariates, welch otherwise); small_sample names the CR1 factor (stata, the default; person; g_only).';

DROP FUNCTION did_p_value(did_state, text, text);
CREATE FUNCTION did_p_value(state did_state, variance text DEFAULT NULL, distribution text DEFAULT 't',
							small_sample text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'si_did_p_value' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_p_value(did_state, text, text, text) IS 'Two-sided p-value of effect = 0 (t or normal reference); small_sample names the CR1 factor (stata, the default; person; g_only).';

DROP FUNCTION did_ci(did_state, float8, text, text);
CREATE FUNCTION did_ci(state did_state, level float8 DEFAULT 0.95, variance text DEFAULT NULL,
					   distribution text DEFAULT 't', small_sample text DEFAULT NULL) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'si_did_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION did_ci(did_state, float8, text, text, text) IS 'Confidence interval {lower, upper} of the effect at level; small_sample names the CR1 factor (stata, the default; person; g_only).';

-- benefit_paths_scan: its comment names the text form; benefit_paths_scan_text
-- (new) reads text, varchar, char(n), uuid and integer person ids.
COMMENT ON FUNCTION benefit_paths_scan(regclass, name, name, name, text) IS
'Every person''s benefit path read straight from a person-week table (bigint, integer or smallint person (text or uuid ids: benefit_paths_scan_text), date week, integer code; NULL code = no benefit), persons in ascending order: the same paths as benefit_paths, several times faster. Needs USAGE on the schema and SELECT on the table or the three columns; where row-level security applies to the caller, reads the rows through a query so only the rows the policies allow are counted.';

-- benefit_paths_scan_text(relation): the same, for person ids that are
-- not integers (text, varchar, char(n), uuid; integers too), returned as
-- text so that they join back to the person table they came from.
CREATE FUNCTION benefit_paths_scan_text(relation regclass, person_column name DEFAULT 'person_id',
	week_column name DEFAULT 'week', code_column name DEFAULT 'code', on_duplicate text DEFAULT 'error')
RETURNS TABLE (person_id text, path benefit_path)
AS 'MODULE_PATHNAME', 'si_paths_scan' LANGUAGE C STABLE PARALLEL RESTRICTED ROWS 100000;
COMMENT ON FUNCTION benefit_paths_scan_text(regclass, name, name, name, text) IS
'benefit_paths_scan for any person id type: text, varchar, char(n) (without trailing blanks, as ::text), uuid (canonical text) or integer (decimal); person_id comes back as text, persons in the order they first appear in the table (integers: ascending). Text and uuid ids are mapped once to internal keys (no hashing, so no two persons can merge) and read by the calling backend alone. Same paths, rules, errors and privileges as benefit_paths_scan.';
