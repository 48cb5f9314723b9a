-- The code map's backend cache (issue 15.1; src/common/codemap.c): loaded
-- maps serve every query of a backend until the configuration tables
-- change. Data changes send no invalidation by themselves, so a statement
-- trigger on each table registers one; PostgreSQL applies it in the
-- modifying backend at the end of the command (and on rollback) and in
-- every other backend at commit.
--
-- New in 0.3.0: part of the install script and, as is, of the upgrade
-- script from 0.2.0 (see the Makefile).

CREATE FUNCTION _codemap_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'si_codemap_changed' LANGUAGE C;
COMMENT ON FUNCTION _codemap_changed() IS
'Internal trigger (AFTER INSERT, UPDATE, DELETE or TRUNCATE, per statement) of benefit_code, classification_profile and classification_rule: invalidates the cached code maps of every backend.';

CREATE TRIGGER z_codemap_changed AFTER INSERT OR UPDATE OR DELETE ON benefit_code
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();
CREATE TRIGGER z_codemap_changed_truncate AFTER TRUNCATE ON benefit_code
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();
CREATE TRIGGER z_codemap_changed AFTER INSERT OR UPDATE OR DELETE ON classification_profile
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();
CREATE TRIGGER z_codemap_changed_truncate AFTER TRUNCATE ON classification_profile
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();
CREATE TRIGGER z_codemap_changed AFTER INSERT OR UPDATE OR DELETE ON classification_rule
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();
CREATE TRIGGER z_codemap_changed_truncate AFTER TRUNCATE ON classification_rule
FOR EACH STATEMENT EXECUTE FUNCTION _codemap_changed();

CREATE FUNCTION _codemap_cache_stats(OUT loads bigint, OUT backend_hits bigint, OUT call_hits bigint,
	OUT invalidations bigint, OUT maps integer)
AS 'MODULE_PATHNAME', 'si_codemap_cache_stats' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION _codemap_cache_stats() IS
'Internal (tests): this backend''s code-map cache counters since it started: maps read from the tables (loads), found in the backend cache (backend_hits), found through the call site''s fn_extra (call_hits), times the cache was emptied by a change to the tables (invalidations), and maps cached now.';
