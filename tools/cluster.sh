#!/bin/bash
# The project's own local PostgreSQL cluster for make demo and make bench.
#   tools/cluster.sh start   create (first time) and start it; prints nothing
#   tools/cluster.sh stop    stop it
#   tools/cluster.sh env     print the PGHOST/PGPORT lines to connect
# Data lives in .pgdata/ in the repository (git-ignored) when the server
# user can reach it, else in /var/tmp/socialinvest-<hash>. It runs as the
# `postgres` user when started by root, on a Unix socket only.
set -eu
cd "$(dirname "$0")/.."
. tools/pg.sh
SI_PORT=${SI_PORT:-5499}

pgroot() {
	local d="$PWD/.pgdata"
	if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$PWD" 2>/dev/null; then
		d="/var/tmp/socialinvest-$(echo "$PWD" | md5sum | cut -c1-8)"
	fi
	echo "$d"
}
root=$(pgroot)
datadir="$root/data"
sockdir="$root/run"

case "${1:-}" in
	start)
		mkdir -p "$root"
		[ "$(id -u)" -eq 0 ] && chown postgres: "$root"
		if [ ! -f "$datadir/PG_VERSION" ]; then
			echo "socialinvest: creating cluster in $datadir"
			cluster_init "$SI_PG_BINDIR" "$datadir"
		fi
		if ! as_pg "$SI_PG_BINDIR/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
			cluster_start "$SI_PG_BINDIR" "$datadir" "$sockdir" "$SI_PORT" "$root/server.log" \
				"-c shared_buffers=1GB -c work_mem=256MB -c maintenance_work_mem=1GB -c max_parallel_workers_per_gather=2 -c max_wal_size=4GB -c synchronous_commit=off"
		fi
		;;
	stop)
		if [ -f "$datadir/PG_VERSION" ]; then
			cluster_stop "$SI_PG_BINDIR" "$datadir"
			echo "socialinvest: cluster in $datadir stopped"
		else
			echo "socialinvest: no cluster in $datadir"
		fi
		;;
	env)
		echo "PGHOST=$sockdir PGPORT=$SI_PORT PGUSER=postgres"
		;;
	*)
		echo "usage: tools/cluster.sh start|stop|env" >&2
		exit 2
		;;
esac
