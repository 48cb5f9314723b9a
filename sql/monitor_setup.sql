-- monitor_setup: creates the monitoring data model in a schema, leaves
-- existing tables alone, and fails clearly on a missing schema or table.
CREATE SCHEMA ms;
SELECT monitor_setup('ms');
SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'ms' AND c.relkind = 'r' ORDER BY 1;
SELECT count(*) AS items, count(DISTINCT label_en) AS labels FROM ms.progression_item;
-- a second call changes nothing, and keeps the user's own item list
DELETE FROM ms.progression_item WHERE item > 5;
SELECT monitor_setup('ms');
SELECT count(*) AS items_kept FROM ms.progression_item;
-- the data model's rules
INSERT INTO ms.programme VALUES (101, 'mentor', '2024-01-01', NULL);
INSERT INTO ms.course VALUES (1, 7, NULL, 101, 'mentor', '2024-02-05', NULL, NULL);
INSERT INTO ms.course VALUES (2, 7, NULL, 101, 'mentor', '2024-02-05', '2024-06-03', NULL);
INSERT INTO ms.course VALUES (3, 7, NULL, 101, 'mentor', '2024-02-05', '2024-06-03', 'bored');
INSERT INTO ms.course VALUES (4, 7, NULL, 999, 'mentor', '2024-02-05', NULL, NULL);
INSERT INTO ms.goal VALUES (101, 'mentor', 'selfsupporting_12m', 0.3, 'someday');
INSERT INTO ms.goal VALUES (101, 'mentor', 'selfsupporting_12m', 0.3, '2025-06-30');
-- errors name the fix
SELECT monitor_setup(NULL);
SELECT monitor_setup('no_such_schema');
SELECT _monitor_table('ms', 'course');
SELECT _monitor_table('no_such_schema', 'course');
CREATE SCHEMA ms_empty;
SELECT _monitor_table('ms_empty', 'course');
DROP SCHEMA ms, ms_empty CASCADE;
