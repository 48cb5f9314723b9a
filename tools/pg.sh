# Shared shell functions for the test, demo and bench scripts (sourced).
# PostgreSQL refuses to run as root, so as root every server-side command
# runs as the `postgres` user; as any other user it runs as that user.

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
SI_PG_BINDIR=$($PG_CONFIG --bindir)
SI_PG_PKGLIBDIR=$($PG_CONFIG --pkglibdir)
SI_PG_SHAREDIR=$($PG_CONFIG --sharedir)

if [ "$(id -u)" -eq 0 ]; then
	SI_PG_USER=postgres
else
	SI_PG_USER=$(id -un)
fi

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# make_private_install DIR: a relocated copy of the PostgreSQL installation
# under DIR with this build of socialinvest installed into it, so tests
# never touch (or depend on) the system installation, and several
# checkouts can test at once. PostgreSQL finds its share and lib
# directories relative to its binaries, so the copy is self-contained.
make_private_install() {
	dir=$1
	libroot=$(dirname "$SI_PG_PKGLIBDIR")      # /usr/lib/postgresql/15
	mkdir -p "$dir$(dirname "$libroot")" "$dir$(dirname "$SI_PG_SHAREDIR")"
	cp -a "$libroot" "$dir$(dirname "$libroot")/"
	cp -a "$SI_PG_SHAREDIR" "$dir$(dirname "$SI_PG_SHAREDIR")/"
	make -s install DESTDIR="$dir" PG_CONFIG="$PG_CONFIG" SANITIZE="${SANITIZE:-0}" >/dev/null
	chmod -R a+rX "$dir"
}

# cluster_init BINDIR DATADIR: initdb owned by the server user.
cluster_init() {
	bindir=$1; datadir=$2
	mkdir -p "$datadir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$datadir"
	as_pg "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 \
		--locale=C --no-sync >/dev/null
}

# si_san_env: with SANITIZE=1 (a sanitizer build, see the Makefile), the
# environment under which the server and si_load run: si_load's sanitizer
# reports go to files under $SI_SAN_LOG (a directory every user can write),
# which tools/test.sh scans; any report aborts the process. Leak checks are
# off: si_load exits on fatal errors without freeing. (The server cannot
# read these options: it overwrites its environment block with the process
# title; its reports go to its log with the defaults.)
si_san_env() {
	[ "${SANITIZE:-0}" = 1 ] || return 0
	echo "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$SI_SAN_LOG/asan" \
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$SI_SAN_LOG/ubsan"
}

# cluster_start BINDIR DATADIR SOCKDIR PORT LOGFILE [postgres -c options]
cluster_start() {
	bindir=$1; datadir=$2; sockdir=$3; port=$4; log=$5; shift 5
	mkdir -p "$sockdir"
	touch "$log"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$sockdir" "$log"; fi
	# shellcheck disable=SC2046
	as_pg env $(si_san_env) "$bindir/pg_ctl" -D "$datadir" -l "$log" -w -t 60 \
		-o "-k $sockdir -p $port -c listen_addresses='' $*" start >/dev/null
}

cluster_stop() {
	bindir=$1; datadir=$2
	as_pg "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
}

# si_ensure_extension DB ON_REBUILD_SQL: create socialinvest in DB, or
# update it. Released versions update with ALTER EXTENSION UPDATE; during
# development the scripts of one version change, so when the installed
# build differs from the one recorded in DB the extension is re-created,
# after running ON_REBUILD_SQL (to drop objects that depend on its types).
si_ensure_extension() {
	local db=$1 on_rebuild=$2 build
	build=$(cat extension/socialinvest--*.sql | md5sum | cut -c1-32)
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v build="$build" <<SQL
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS public.socialinvest_build (build text);
SELECT coalesce((SELECT build FROM public.socialinvest_build), '') <> :'build' AS rebuilt \gset
\if :rebuilt
$on_rebuild
DROP EXTENSION IF EXISTS socialinvest CASCADE;
DELETE FROM public.socialinvest_build;
INSERT INTO public.socialinvest_build VALUES (:'build');
\endif
CREATE EXTENSION IF NOT EXISTS socialinvest;
ALTER EXTENSION socialinvest UPDATE;
SQL
}
