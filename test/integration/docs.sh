#!/bin/bash
# Doc test: every ```sql block of README.md and docs/*.md runs, and every
# number the docs show is what the block prints. Prints TAP lines.
#
# Rules (docs/architecture.md, "Doc test", says the same for doc writers):
# - The blocks of one document run top to bottom in one psql session, in a
#   fresh database of their own in which the extension is available but not
#   yet created (a document starts with CREATE EXTENSION where it needs it).
# - A block that raises an error (server ERROR, or a psql error such as a
#   \copy file that is not there) fails: the TAP line names the document, the
#   line of the statement in the document and the error. The session goes on
#   with the next statement, so one run lists every failing block (later
#   failures may follow from an earlier one: fix the first first).
# - A ```text block that directly follows a ```sql block (only blank lines
#   between) is that block's expected output: what psql prints for it
#   (psql's default aligned format with the row-count footer; no command
#   tags; notices are not part of it), compared after removing trailing
#   blanks on each line and blank lines at the start and the end. Round
#   shown numbers in the query (round(x::numeric, 4)), never rely on 15
#   digits. Any other fence (```text, ```sh, ```) is not run.
# - A block must end its last statement (with ';' or a backslash command),
#   else psql would glue it to the next block.
# - File paths are relative to the repository root, as a user runs psql
#   there (\copy t FROM 'test/data/mpdta.csv' ...). The test runs psql in a
#   copy of test/data (the clone itself may be unreadable to the server's
#   user), as the postgres user when run as root.
#
# SI_DOCS="docs/reference.md README.md" limits the run to those documents;
# SI_DOCS_OUT=DIR writes what each block printed to DIR/<doc>:<line>.out
# (to paste as its documented output, after checking it).
# Run alone: SI_TESTS=docs make test.
set -u
: "${SI_BINDIR:?}" "${SI_REPO:?}"
PSQL="$SI_BINDIR/psql"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-docs.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.bash"

root="$tmp/root"                      # stands for the repository root
mkdir -p "$root/test"
cp -R "$SI_REPO/test/data" "$root/test/data"
chmod -R a+rX "$root"
if [ "$(id -u)" -eq 0 ]; then
	chown -R postgres: "$tmp"
	as_user() { runuser -u postgres -- "$@"; }
else
	as_user() { "$@"; }
fi
export PGTZ=UTC PGDATESTYLE=ISO PGCLIENTENCODING=UTF8

if [ -n "${SI_DOCS:-}" ]; then
	docs=$SI_DOCS
else
	docs=$(cd "$SI_REPO" && ls README.md docs/*.md)
fi

# extract DOC OUTDIR: writes OUTDIR/script.sql (the blocks, each preceded by
# "\r" (an unended statement of the block before is dropped, not glued to
# this one) and "\o OUTDIR/bK.out"), OUTDIR/map (script line, doc line, block), and per
# block OUTDIR/bK.line (its fence line), OUTDIR/bK.want (expected output,
# when there is one) and OUTDIR/bK.open (the block does not end its last
# statement).
extract() {
	awk -v out="$2" '
	function flush_sql(   i, last) {
		last = ""
		for (i = nl; i >= 1; i--) {
			l = lines[i]; sub(/--.*/, "", l); gsub(/[ \t]+$/, "", l)
			if (l != "") { last = l; break }
		}
		if (last != "" && last !~ /;$/ && last !~ /^[ \t]*\\/)
			print "" > (out "/b" nb ".open")
	}
	BEGIN { state = "out"; nb = 0; sl = 0 }
	{
		if (state == "out") {
			if ($0 ~ /^```sql[ \t]*$/) {
				nb++; state = "sql"; nl = 0
				print NR > (out "/b" nb ".line")
				print "\\r" > (out "/script.sql"); sl++
				print "\\o " out "/b" nb ".out" > (out "/script.sql"); sl++
				next
			}
			if ($0 ~ /^```text[ \t]*$/ && after_sql) {
				state = "want"; printf "" > (out "/b" nb ".want"); after_sql = 0
				next
			}
			if ($0 ~ /^```/) { state = "other"; after_sql = 0; next }
			if ($0 !~ /^[ \t]*$/) after_sql = 0
			next
		}
		if ($0 ~ /^```[ \t]*$/) {
			if (state == "sql") { flush_sql(); after_sql = 1 }
			state = "out"; next
		}
		if (state == "sql") {
			print $0 > (out "/script.sql"); sl++
			print sl, NR, nb > (out "/map")
			lines[++nl] = $0
		} else if (state == "want") {
			print $0 > (out "/b" nb ".want")
		}
	}
	END {
		print "\\o" > (out "/script.sql")
		if (state != "out") print "" > (out "/unclosed")
		print nb > (out "/count")
	}' "$1"
}

# normalize FILE: trailing blanks off, leading and trailing blank lines off
normalize() {
	sed -e 's/[ \t]*$//' "$1" | awk '
		NF { for (i = 0; i < held; i++) print ""; held = 0; seen = 1; print; next }
		seen { held++ }'
}

# run_doc DOC: TAP lines for the blocks of DOC (a path under SI_REPO)
run_doc() {
	local doc=$1 d nb db start secs k line errs orphans
	[ -f "$SI_REPO/$doc" ] || { ok 1 "$doc: no such document"; return; }
	d="$tmp/$(echo "$doc" | tr '/.' '__')"
	mkdir -p "$d"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$d"
	extract "$SI_REPO/$doc" "$d"
	nb=$(cat "$d/count")
	if [ -f "$d/unclosed" ]; then
		ok 1 "$doc: a code fence is not closed"
	fi
	[ "$nb" -gt 0 ] || return 0
	db="doc_$(echo "$doc" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')"
	"$PSQL" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$d"
	start=$(date +%s)
	(cd "$root" && as_user "$PSQL" -X -q -U postgres -d "$db" -f "$d/script.sql") \
		>"$d/stdout" 2>"$d/stderr"
	secs=$(( $(date +%s) - start ))
	# psql prefixes each message with psql:SCRIPT:LINE:; errors are the
	# prefixed messages that are not notices, with their continuation lines
	awk -v script="$d/script.sql" -v mapf="$d/map" '
	BEGIN {
		while ((getline m < mapf) > 0) { split(m, a, " "); docline[a[1]] = a[2]; block[a[1]] = a[3] }
		pfx = "psql:" script ":"
	}
	index($0, pfx) == 1 {
		rest = substr($0, length(pfx) + 1)
		ln = rest; sub(/:.*/, "", ln); msg = rest; sub(/^[0-9]+: /, "", msg)
		if (msg ~ /^(NOTICE|WARNING|INFO|DEBUG|LOG):/) { cur = ""; next }
		cur = ln + 0
		print block[cur] "\t" docline[cur] "\t" msg
		next
	}
	cur != "" { print block[cur] "\t" docline[cur] "\t  " $0 }' "$d/stderr" >"$d/errors"
	for k in $(seq 1 "$nb"); do
		line=$(cat "$d/b$k.line")
		errs=$(awk -F'\t' -v k="$k" -v doc="$doc" '$1 == k { print "#   " doc ":" $2 ": " $3 }' "$d/errors")
		if [ -f "$d/b$k.open" ]; then
			ok 1 "$doc:$line: the block's last statement has no ';'"
		fi
		if [ -n "$errs" ]; then
			ok 1 "$doc:$line: sql block runs without error"
			echo "$errs" | head -20
		else
			ok 0 "$doc:$line: sql block runs without error"
		fi
		if [ -n "${SI_DOCS_OUT:-}" ] && [ -f "$d/b$k.out" ]; then
			mkdir -p "$SI_DOCS_OUT"
			normalize "$d/b$k.out" >"$SI_DOCS_OUT/$(echo "$doc" | tr '/' '_'):$line.out"
		fi
		if [ -f "$d/b$k.want" ]; then
			[ -f "$d/b$k.out" ] || : >"$d/b$k.out"
			normalize "$d/b$k.want" >"$d/want"
			normalize "$d/b$k.out" >"$d/got"
			if cmp -s "$d/want" "$d/got"; then
				ok 0 "$doc:$line: output is the documented one"
			else
				ok 1 "$doc:$line: output is the documented one"
				diff -u --label "documented" --label "printed" "$d/want" "$d/got" | head -40 | sed 's/^/#   /'
			fi
		fi
	done
	# errors outside any block (should not happen) and psql failing to start
	if grep -q . "$d/stdout"; then
		sed 's/^/#   stdout: /' "$d/stdout" | head -10
	fi
	orphans=$(awk -F'\t' '$1 == "" { print "#   " $3 }' "$d/errors")
	if [ -n "$orphans" ] || { [ -s "$d/stderr" ] && ! grep -q "^psql:$d/script.sql:" "$d/stderr"; }; then
		ok 1 "$doc: psql ran the blocks"
		{ echo "$orphans"; head -10 "$d/stderr" | sed 's/^/#   /'; } | head -20
	fi
	echo "# $doc: $nb sql blocks in ${secs}s"
	"$PSQL" -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
}

# The harness itself must catch what it is for: test/integration/docs_selftest.md
# has a passing block, a failing one, a wrong documented output, an unended
# statement and a \copy of a file by its repository path.
self=$(n=0; run_doc test/integration/docs_selftest.md)
want="ok 1 - test/integration/docs_selftest.md:13: sql block runs without error
ok 2 - test/integration/docs_selftest.md:13: output is the documented one
not ok 3 - test/integration/docs_selftest.md:25: sql block runs without error
#   test/integration/docs_selftest.md:27: ERROR:  division by zero
ok 4 - test/integration/docs_selftest.md:30: sql block runs without error
not ok 5 - test/integration/docs_selftest.md:30: output is the documented one
not ok 6 - test/integration/docs_selftest.md:41: the block's last statement has no ';'
ok 7 - test/integration/docs_selftest.md:41: sql block runs without error
ok 8 - test/integration/docs_selftest.md:47: sql block runs without error
ok 9 - test/integration/docs_selftest.md:47: output is the documented one"
got=$(echo "$self" | grep -E '^(ok|not ok|#   test/integration/docs_selftest.md:[0-9]+: ERROR)')
is "$got" "$want" "the doc test reports errors with document and line, wrong outputs and unended blocks, and reads test/data by its repository path"
[ "$got" = "$want" ] || echo "$self" | sed 's/^/# self: /'

# Every document stands on its own: no citation of files outside the
# repository (DOMAIN.md, DESIGN.md were design notes never shipped), in the
# documents or in what the extension shows in the catalog (COMMENTs, the
# rows of its configuration tables).
outside='DOMAIN\.md|DESIGN\.md|DOMAIN (M[0-9]|§)'
cites=$(cd "$SI_REPO" && grep -nE "$outside" README.md docs/*.md)
is "$cites" "" "README.md and docs/*.md cite no file outside the repository"
# Tables: every run of lines starting with '|' (outside code fences) has a
# header, a |---| separator and the header's number of cells on every row
# (a paragraph dropped into a table leaves rows without a header).
tables=$(cd "$SI_REPO" && for f in README.md docs/*.md; do awk -v f="$f" '
	/^```/ { fence = !fence }
	!fence && /^\|/ {
		row = $0; gsub(/\\\|/, "", row); gsub(/`[^`]*`/, "x", row)
		cells = gsub(/\|/, "|", row)
		if (!intable) { intable = 1; nrow = 0; head = cells; start = NR }
		nrow++
		if (nrow == 2 && $0 !~ /^\|( *:?-+:? *\|)+ *$/)
			print f ":" start ": table without a |---| separator under its header"
		else if (cells != head)
			print f ":" NR ": " cells - 1 " cells, the header has " head - 1
		next
	}
	{ intable = 0 }' "$f"; done)
is "$tables" "" "every table in README.md and docs/*.md has a header, a separator and whole rows"

DB=doc_catalog
"$PSQL" -X -q -U postgres -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q "CREATE EXTENSION socialinvest"
is "$(q "SELECT string_agg(pg_describe_object(d.classoid, d.objoid, d.objsubid), ', ')
         FROM pg_description d WHERE d.description ~ '$outside'")" "" \
	"no COMMENT of the extension cites a file outside the repository"
is "$(q "SELECT string_agg(c.oid::regclass::text, ', ') FROM pg_extension e, unnest(e.extconfig) c(oid)
         WHERE e.extname = 'socialinvest'
           AND query_to_xml(format('SELECT t::text AS r FROM %s t', c.oid::regclass), false, false, '')::text ~ '$outside'")" "" \
	"no shipped configuration row cites a file outside the repository"
"$PSQL" -X -q -U postgres -d postgres -c "DROP DATABASE $DB"

for doc in $docs; do
	run_doc "$doc"
done
