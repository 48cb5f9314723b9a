-- The socialinvest extension as it stands in the current database, one row
-- per (object, aspect): every member object (pg_depend 'e') and what
-- defines it, by name (never by OID), so that two databases compare row by
-- row and a difference names the object and what differs. Used by
-- sql/upgrade.sql: pg_temp.si_catalog() after \i of this file.
--   functions and aggregates: arguments with defaults, result, kind, source,
--     library symbol, volatility, strictness, parallel safety, leakproof,
--     security definer, SET options, cost, rows, support function;
--     aggregates: the whole pg_aggregate row with functions by name
--   types: the pg_type row (I/O functions by name), attributes of composite
--     types, enum labels, domain constraints
--   operators, casts, operator classes and families (members by name)
--   tables, views, sequences: columns (type, NOT NULL, default, identity,
--     generated, collation, column ACL, column comment), constraints,
--     indexes, triggers, policies, row security, options, view definition,
--     and the rows of every member table
--   on every member object: its comment, ACL and
--     pg_init_privs entry; comments on constraints and triggers
--   the extension: pg_extension_config_dump registrations (table and
--     condition), relocatable, schema
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.si_catalog()
RETURNS TABLE (object text, aspect text, val text)
LANGUAGE plpgsql AS $fn$
DECLARE
	ext oid := (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'socialinvest');
	t record;
	r text;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS si_member (classid oid, objid oid, name text) ON COMMIT DROP;
	TRUNCATE si_member;
	INSERT INTO si_member
	SELECT d.classid, d.objid, i.type || ' ' || i.identity
	FROM pg_catalog.pg_depend d, pg_catalog.pg_identify_object(d.classid, d.objid, 0) i
	WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e';

	-- membership
	RETURN QUERY SELECT m.name, 'member', ''::text FROM si_member m;

	-- the extension itself
	RETURN QUERY
	SELECT 'extension socialinvest', 'config dump ' || c::regclass::text, coalesce(e.extcondition[k], '(none)')
	FROM pg_catalog.pg_extension e, unnest(e.extconfig) WITH ORDINALITY AS u(c, k)
	WHERE e.oid = ext;
	RETURN QUERY
	SELECT 'extension socialinvest', 'relocatable, schema', format('%s, %s', e.extrelocatable, e.extnamespace::regnamespace)
	FROM pg_catalog.pg_extension e WHERE e.oid = ext;

	-- functions, procedures, aggregates
	RETURN QUERY
	SELECT m.name, v.aspect, v.val
	FROM si_member m JOIN pg_catalog.pg_proc p ON m.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = m.objid,
	LATERAL (VALUES
		('arguments', pg_catalog.pg_get_function_arguments(p.oid)),
		('result', coalesce(pg_catalog.pg_get_function_result(p.oid), '(none)')),
		('kind', p.prokind::text),
		('language', (SELECT lanname::text FROM pg_catalog.pg_language WHERE oid = p.prolang)),
		('source', p.prosrc),
		('library', coalesce(p.probin, '(none)')),
		('volatility', p.provolatile::text),
		('strict', p.proisstrict::text),
		('parallel', p.proparallel::text),
		('leakproof', p.proleakproof::text),
		('security definer', p.prosecdef::text),
		('SET options', coalesce(array_to_string(p.proconfig, ', '), '(none)')),
		('cost', p.procost::text),
		('rows', p.prorows::text),
		('support function', p.prosupport::regproc::text)) AS v(aspect, val);
	RETURN QUERY
	SELECT m.name, 'aggregate definition',
		format('kind=%s direct=%s sfunc=%s stype=%s sspace=%s finalfunc=%s finalextra=%s finalmodify=%s combinefunc=%s serialfunc=%s deserialfunc=%s initcond=%s msfunc=%s minvfunc=%s mstype=%s msspace=%s mfinalfunc=%s mfinalextra=%s mfinalmodify=%s minitcond=%s sortop=%s',
			a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggtranstype::regtype, a.aggtransspace,
			a.aggfinalfn::regproc, a.aggfinalextra, a.aggfinalmodify, a.aggcombinefn::regproc,
			a.aggserialfn::regproc, a.aggdeserialfn::regproc, coalesce(a.agginitval, '(null)'),
			a.aggmtransfn::regproc, a.aggminvtransfn::regproc, a.aggmtranstype::regtype, a.aggmtransspace,
			a.aggmfinalfn::regproc, a.aggmfinalextra, a.aggmfinalmodify, coalesce(a.aggminitval, '(null)'),
			a.aggsortop::regoperator)
	FROM si_member m JOIN pg_catalog.pg_aggregate a ON m.classid = 'pg_catalog.pg_proc'::regclass AND a.aggfnoid = m.objid;

	-- types
	RETURN QUERY
	SELECT m.name, 'type definition',
		format('type=%s len=%s byval=%s align=%s storage=%s category=%s preferred=%s delim=%s input=%s output=%s receive=%s send=%s typmodin=%s typmodout=%s analyze=%s subscript=%s element=%s base=%s notnull=%s default=%s collation=%s',
			y.typtype, y.typlen, y.typbyval, y.typalign, y.typstorage, y.typcategory, y.typispreferred,
			y.typdelim, y.typinput::regproc, y.typoutput::regproc, y.typreceive::regproc, y.typsend::regproc,
			y.typmodin::regproc, y.typmodout::regproc, y.typanalyze::regproc, y.typsubscript::regproc,
			y.typelem::regtype, y.typbasetype::regtype, y.typnotnull, coalesce(y.typdefault, '(none)'),
			y.typcollation::regcollation)
	FROM si_member m JOIN pg_catalog.pg_type y ON m.classid = 'pg_catalog.pg_type'::regclass AND y.oid = m.objid;
	RETURN QUERY
	SELECT m.name, 'attribute ' || a.attname,
		pg_catalog.format_type(a.atttypid, a.atttypmod) || ' collate ' || a.attcollation::regcollation::text
	FROM si_member m JOIN pg_catalog.pg_type y ON m.classid = 'pg_catalog.pg_type'::regclass AND y.oid = m.objid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = y.typrelid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE y.typtype = 'c';
	RETURN QUERY
	SELECT m.name, 'attribute order', string_agg(a.attname, ', ' ORDER BY a.attnum)
	FROM si_member m JOIN pg_catalog.pg_type y ON m.classid = 'pg_catalog.pg_type'::regclass AND y.oid = m.objid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = y.typrelid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE y.typtype = 'c' GROUP BY m.name;
	RETURN QUERY
	SELECT m.name, 'enum labels', string_agg(en.enumlabel, ', ' ORDER BY en.enumsortorder)
	FROM si_member m JOIN pg_catalog.pg_enum en ON m.classid = 'pg_catalog.pg_type'::regclass AND en.enumtypid = m.objid
	GROUP BY m.name;
	RETURN QUERY
	SELECT m.name, 'domain constraint ' || c.conname, pg_catalog.pg_get_constraintdef(c.oid)
	FROM si_member m JOIN pg_catalog.pg_constraint c ON m.classid = 'pg_catalog.pg_type'::regclass AND c.contypid = m.objid;

	-- operators, casts, operator classes and families
	RETURN QUERY
	SELECT m.name, 'operator definition',
		format('kind=%s left=%s right=%s result=%s function=%s commutator=%s negator=%s restrict=%s join=%s merges=%s hashes=%s',
			o.oprkind, o.oprleft::regtype, o.oprright::regtype, o.oprresult::regtype, o.oprcode::regproc,
			o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest::regproc, o.oprjoin::regproc,
			o.oprcanmerge, o.oprcanhash)
	FROM si_member m JOIN pg_catalog.pg_operator o ON m.classid = 'pg_catalog.pg_operator'::regclass AND o.oid = m.objid;
	RETURN QUERY
	SELECT m.name, 'cast definition',
		format('function=%s context=%s method=%s', c.castfunc::regprocedure, c.castcontext, c.castmethod)
	FROM si_member m JOIN pg_catalog.pg_cast c ON m.classid = 'pg_catalog.pg_cast'::regclass AND c.oid = m.objid;
	RETURN QUERY
	SELECT m.name, 'operator class definition',
		format('input=%s default=%s key=%s family=%s', c.opcintype::regtype, c.opcdefault,
			c.opckeytype::regtype, (SELECT opfname FROM pg_catalog.pg_opfamily WHERE oid = c.opcfamily))
	FROM si_member m JOIN pg_catalog.pg_opclass c ON m.classid = 'pg_catalog.pg_opclass'::regclass AND c.oid = m.objid;
	RETURN QUERY
	SELECT m.name, 'operator family members',
		coalesce((SELECT string_agg(format('op %s %s (%s,%s)', ao.amopstrategy, ao.amopopr::regoperator,
				ao.amoplefttype::regtype, ao.amoprighttype::regtype), '; ' ORDER BY 1)
			FROM pg_catalog.pg_amop ao WHERE ao.amopfamily = f.oid), '') || ' | ' ||
		coalesce((SELECT string_agg(format('proc %s %s (%s,%s)', ap.amprocnum, ap.amproc::regprocedure,
				ap.amproclefttype::regtype, ap.amprocrighttype::regtype), '; ' ORDER BY 1)
			FROM pg_catalog.pg_amproc ap WHERE ap.amprocfamily = f.oid), '')
	FROM si_member m JOIN pg_catalog.pg_opfamily f ON m.classid = 'pg_catalog.pg_opfamily'::regclass AND f.oid = m.objid;

	-- tables, views, sequences
	RETURN QUERY
	SELECT m.name, 'relation', format('kind=%s persistence=%s rowsecurity=%s forcerowsecurity=%s options=%s',
			c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, coalesce(array_to_string(c.reloptions, ','), '(none)'))
	FROM si_member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid;
	RETURN QUERY
	SELECT m.name, 'column ' || a.attname,
		format('%s notnull=%s default=%s identity=%s generated=%s collation=%s acl=%s',
			pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
			coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '(none)'), a.attidentity, a.attgenerated,
			a.attcollation::regcollation, coalesce(a.attacl::text, '(default)'))
	FROM si_member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
	WHERE c.relkind <> 'S';
	RETURN QUERY
	SELECT m.name, 'column order', string_agg(a.attname, ', ' ORDER BY a.attnum)
	FROM si_member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE c.relkind <> 'S' GROUP BY m.name;
	RETURN QUERY
	SELECT m.name, 'constraint ' || co.conname, pg_catalog.pg_get_constraintdef(co.oid)
	FROM si_member m JOIN pg_catalog.pg_constraint co ON m.classid = 'pg_catalog.pg_class'::regclass AND co.conrelid = m.objid;
	RETURN QUERY
	SELECT m.name, 'index ' || ic.relname, pg_catalog.pg_get_indexdef(ix.indexrelid)
	FROM si_member m JOIN pg_catalog.pg_index ix ON m.classid = 'pg_catalog.pg_class'::regclass AND ix.indrelid = m.objid
		JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid;
	RETURN QUERY
	SELECT m.name, 'trigger ' || tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid) || ' enabled=' || tg.tgenabled::text
	FROM si_member m JOIN pg_catalog.pg_trigger tg ON m.classid = 'pg_catalog.pg_class'::regclass AND tg.tgrelid = m.objid
	WHERE NOT tg.tgisinternal;
	RETURN QUERY
	SELECT m.name, 'policy ' || po.polname,
		format('cmd=%s permissive=%s roles=%s using=%s check=%s', po.polcmd, po.polpermissive,
			(SELECT string_agg(CASE WHEN pr.rol = 0 THEN 'public' ELSE pr.rol::regrole::text END, ',' ORDER BY 1) FROM unnest(po.polroles) AS pr(rol)),
			pg_catalog.pg_get_expr(po.polqual, po.polrelid), pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid))
	FROM si_member m JOIN pg_catalog.pg_policy po ON m.classid = 'pg_catalog.pg_class'::regclass AND po.polrelid = m.objid;
	RETURN QUERY
	SELECT m.name, 'view definition', pg_catalog.pg_get_viewdef(c.oid)
	FROM si_member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid
	WHERE c.relkind IN ('v', 'm');
	RETURN QUERY
	SELECT m.name, 'sequence', format('type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s',
			s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
	FROM si_member m JOIN pg_catalog.pg_sequence s ON m.classid = 'pg_catalog.pg_class'::regclass AND s.seqrelid = m.objid;
	-- rows of member tables (configuration tables): one aspect per row
	FOR t IN SELECT m.name, c.oid FROM si_member m JOIN pg_catalog.pg_class c
			ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid
		WHERE c.relkind IN ('r', 'p')
	LOOP
		RETURN QUERY EXECUTE format('SELECT $1, ''row '' || x::text, ''''::text FROM %s x', t.oid::regclass) USING t.name;
	END LOOP;

	-- on every member object: comment, ACL, initial privileges
	RETURN QUERY
	SELECT m.name, 'comment' || CASE WHEN d.objsubid = 0 THEN '' ELSE ' on column ' ||
			(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = d.objoid AND attnum = d.objsubid) END,
		d.description
	FROM si_member m JOIN pg_catalog.pg_description d ON d.classoid = m.classid AND d.objoid = m.objid;
	RETURN QUERY
	SELECT m.name, 'comment', '(none)'
	FROM si_member m
	WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_description d
		WHERE d.classoid = m.classid AND d.objoid = m.objid AND d.objsubid = 0);
	RETURN QUERY
	SELECT m.name, 'comment on ' || (pg_catalog.pg_identify_object(d.classoid, d.objoid, 0)).identity, d.description
	FROM si_member m
		JOIN pg_catalog.pg_constraint co ON m.classid = 'pg_catalog.pg_class'::regclass AND co.conrelid = m.objid
		JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = co.oid;
	RETURN QUERY
	SELECT m.name, 'comment on ' || (pg_catalog.pg_identify_object(d.classoid, d.objoid, 0)).identity, d.description
	FROM si_member m
		JOIN pg_catalog.pg_trigger tg ON m.classid = 'pg_catalog.pg_class'::regclass AND tg.tgrelid = m.objid
		JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objoid = tg.oid;
	RETURN QUERY
	SELECT m.name, 'ACL', coalesce(x.acl::text, '(default)')
	FROM si_member m,
	LATERAL (SELECT proacl AS acl FROM pg_catalog.pg_proc WHERE m.classid = 'pg_catalog.pg_proc'::regclass AND oid = m.objid
		UNION ALL SELECT relacl FROM pg_catalog.pg_class WHERE m.classid = 'pg_catalog.pg_class'::regclass AND oid = m.objid
		UNION ALL SELECT typacl FROM pg_catalog.pg_type WHERE m.classid = 'pg_catalog.pg_type'::regclass AND oid = m.objid
		UNION ALL SELECT nspacl FROM pg_catalog.pg_namespace WHERE m.classid = 'pg_catalog.pg_namespace'::regclass AND oid = m.objid
		UNION ALL SELECT fdwacl FROM pg_catalog.pg_foreign_data_wrapper WHERE m.classid = 'pg_catalog.pg_foreign_data_wrapper'::regclass AND oid = m.objid
		UNION ALL SELECT srvacl FROM pg_catalog.pg_foreign_server WHERE m.classid = 'pg_catalog.pg_foreign_server'::regclass AND oid = m.objid
		UNION ALL SELECT lanacl FROM pg_catalog.pg_language WHERE m.classid = 'pg_catalog.pg_language'::regclass AND oid = m.objid) x;
	RETURN QUERY
	SELECT m.name, 'initial privileges' || CASE WHEN ip.objsubid = 0 THEN '' ELSE ' of column ' ||
			(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ip.objoid AND attnum = ip.objsubid) END,
		ip.privtype::text || ' ' || ip.initprivs::text
	FROM si_member m JOIN pg_catalog.pg_init_privs ip ON ip.classoid = m.classid AND ip.objoid = m.objid;
END
$fn$;
