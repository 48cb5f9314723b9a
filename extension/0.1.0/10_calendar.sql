-- ISO-week calendar. The canonical week key is the Monday of the ISO week
-- (a date); every function taking a week accepts any day in it.

CREATE FUNCTION week_monday(day date) RETURNS date
AS 'MODULE_PATHNAME', 'si_week_monday'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_monday(date) IS
'Monday of the ISO week containing the day: socialinvest''s canonical week key.';

CREATE FUNCTION week_yyyyww(week date) RETURNS integer
AS 'MODULE_PATHNAME', 'si_week_yyyyww'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_yyyyww(date) IS
'ISO year * 100 + ISO week of the week containing the day, e.g. 202053.';

CREATE FUNCTION week_from_yyyyww(yyyyww integer) RETURNS date
AS 'MODULE_PATHNAME', 'si_week_from_yyyyww'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_from_yyyyww(integer) IS
'Monday of the ISO week given as year * 100 + week; errors on weeks that do not exist (e.g. 201953).';

CREATE FUNCTION weeks_between(from_week date, to_week date) RETURNS integer
AS 'MODULE_PATHNAME', 'si_weeks_between'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION weeks_between(date, date) IS
'Whole ISO weeks from the week of from_week to the week of to_week (negative when to_week is earlier).';

CREATE FUNCTION week_add(week date, weeks integer) RETURNS date
AS 'MODULE_PATHNAME', 'si_week_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_add(date, integer) IS
'Monday of the week that lies the given number of ISO weeks after (or before, if negative) the week of the day.';

CREATE FUNCTION weeks_in_iso_year(iso_year integer) RETURNS integer
AS 'MODULE_PATHNAME', 'si_weeks_in_iso_year'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION weeks_in_iso_year(integer) IS
'Number of ISO weeks (52 or 53) in an ISO year.';

CREATE FUNCTION week_month(week date) RETURNS date
AS 'MODULE_PATHNAME', 'si_week_month'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_month(date) IS
'First day of the calendar month the ISO week belongs to by the Thursday rule (the month containing the week''s Thursday).';

CREATE FUNCTION week_from_dream_column(column_name text) RETURNS date
AS 'MODULE_PATHNAME', 'si_week_from_dream_column'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_from_dream_column(text) IS
'Monday of the ISO week named by a DREAM wide-file column y_YYWW (YY < 90 means 20YY, else 19YY).';

CREATE FUNCTION week_dream_column(week date) RETURNS text
AS 'MODULE_PATHNAME', 'si_week_dream_column'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION week_dream_column(date) IS
'DREAM wide-file column name y_YYWW of the ISO week containing the day (ISO years 1990-2089).';
