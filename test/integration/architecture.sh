#!/bin/bash
# docs/architecture.md against the tree (issue 13): every source file under
# src/ and src/*/ is named there by its path (src/...), every src/ path it
# names exists, and every file name it gives in backquotes (calendar.c,
# math/km.c, 0.2.0/20_rates.sql, test_isoweek.c, ...) exists in the
# directory such a name is relative to. Needs no database. Prints TAP lines.
set -u
: "${SI_REPO:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/si-arch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.bash"

# problems REPO DOC: one line per problem, nothing when the page is true
problems() {
	local repo=$1 doc=$2 f p
	# every source file is mentioned by its path
	(cd "$repo" && find src -mindepth 1 -maxdepth 2 -type f \( -name '*.c' -o -name '*.h' \) | sort) |
	while read -r f; do
		grep -qF "\`$f\`" "$doc" || echo "$f is not listed in $(basename "$doc")"
	done
	# every src/ path named exists
	grep -oE 'src/[A-Za-z0-9_./-]*' "$doc" | sed 's/[.,]*$//' | sort -u |
	while read -r p; do
		[ -e "$repo/$p" ] || echo "$(basename "$doc") names $p, which does not exist"
	done
	# every file name in backquotes exists somewhere it may be relative to
	# (placeholders such as NN_concept.sql and the install scripts the build
	# generates, socialinvest--<version>.sql, are not files of the tree)
	grep -oE '`[A-Za-z0-9_./-]+\.(c|h|sql|sh|bash|awk|md|control)`' "$doc" | tr -d '`' | grep -v '^src/' |
		grep -vE '(^|/)NN_|^(extension/)?socialinvest--[0-9.-]+\.sql$' | sort -u |
	while read -r p; do
		for dir in . src src/cli extension extension/released test/unit test/integration \
			test/fuzz sql tools bench control docs; do
			[ -e "$repo/$dir/$p" ] && continue 2
		done
		for dir in "$repo"/extension/upgrade/*/; do
			[ -e "$dir$p" ] && continue 2
		done
		echo "$(basename "$doc") names $p, which does not exist"
	done
}

# The check must be able to fail: a planted tree with a file the page does
# not list and a page naming files that do not exist.
mkdir -p "$tmp/src/math" "$tmp/src/cli"
: >"$tmp/src/a.c"; : >"$tmp/src/math/b.h"; : >"$tmp/src/cli/c.c"
printf '%s\n' '| `src/a.c` | a |' '| `src/cli/c.c` | c |' '| `src/gone.c` | gone |' \
	'See `math/nothere.c`.' >"$tmp/arch.md"
is "$(problems "$tmp" "$tmp/arch.md")" "src/math/b.h is not listed in arch.md
arch.md names src/gone.c, which does not exist
arch.md names math/nothere.c, which does not exist" \
	"the check finds an unlisted source file and named files that do not exist"

# layers REPO DOC: one line per #include "..." that crosses into a folder
# the page's *Layers* table does not allow, and per server header in
# src/math or src/cli
layers() {
	local repo=$1 doc=$2
	python3 - "$repo" "$doc" <<'PY'
import os, re, sys
repo, doc = sys.argv[1], sys.argv[2]
allowed = {}
for m in re.finditer(r'^\| `src/([a-z_]+)` \| ([^|]*)\|', open(doc).read(), re.M):
    allowed[m.group(1)] = {w.strip() for w in m.group(2).split(',') if w.strip() not in ('', '—')}
home = {}
folders = sorted(d for d in os.listdir(os.path.join(repo, 'src'))
                 if os.path.isdir(os.path.join(repo, 'src', d)))
for d in folders:
    for f in os.listdir(os.path.join(repo, 'src', d)):
        if f.endswith('.h'):
            home[f] = d
std = {'assert.h', 'ctype.h', 'errno.h', 'float.h', 'inttypes.h', 'limits.h', 'math.h',
       'stdarg.h', 'stdbool.h', 'stddef.h', 'stdint.h', 'stdio.h', 'stdlib.h', 'string.h'}
for d in folders:
    if d not in allowed:
        print(f"src/{d} has no row in the layers table")
        continue
    for f in sorted(os.listdir(os.path.join(repo, 'src', d))):
        if not f.endswith(('.c', '.h')):
            continue
        text = open(os.path.join(repo, 'src', d, f)).read()
        for m in re.finditer(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', text, re.M):
            kind, h = m.groups()
            if kind == '"' and h in home and home[h] != d and home[h] not in allowed[d]:
                print(f"src/{d}/{f} includes {h} of src/{home[h]}")
            elif d == 'math' and (kind == '"' and h not in home or kind == '<' and h not in std):
                print(f"src/math/{f} includes {h}, which is not the C standard library")
            elif d == 'cli' and kind == '"' and h not in home:
                print(f"src/cli/{f} includes the server header {h}")
PY
}

mkdir -p "$tmp/lay/src/math" "$tmp/lay/src/cli" "$tmp/lay/src/paths" "$tmp/lay/src/did"
printf '#include "paths.h"\n' >"$tmp/lay/src/did/d.c"
: >"$tmp/lay/src/paths/paths.h"
printf '#include "postgres.h"\n#include <math.h>\n' >"$tmp/lay/src/math/m.c"
printf '#include "utils/elog.h"\n' >"$tmp/lay/src/cli/c.c"
printf '%s\n' '| `src/math` | — |' '| `src/cli` | math |' '| `src/did` | math |' >"$tmp/lay/arch.md"
is "$(layers "$tmp/lay" "$tmp/lay/arch.md")" "src/cli/c.c includes the server header utils/elog.h
src/did/d.c includes paths.h of src/paths
src/math/m.c includes postgres.h, which is not the C standard library
src/paths has no row in the layers table" \
	"the layer check finds a forbidden include, server headers in math and cli, a folder without a row"

is "$(layers "$SI_REPO" "$SI_REPO/docs/architecture.md")" "" \
	"every #include between src/ folders is one docs/architecture.md's layers table allows"

out=$(problems "$SI_REPO" "$SI_REPO/docs/architecture.md")
is "$out" "" "docs/architecture.md lists every src/ file, and every file it names exists"
