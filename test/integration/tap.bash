# TAP helpers shared by the integration tests (sourced, not run: tools/test.sh
# runs only test/integration/*.sh). The caller sets DB (the database q uses)
# and SI_BINDIR (the private PostgreSQL's binaries).
n=0
ok() {  # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
is() {  # is GOT WANT DESCRIPTION
	n=$((n + 1))
	if [ "$1" = "$2" ]; then echo "ok $n - $3"; else
		echo "not ok $n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}
q() { "$SI_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$DB" -c "$1"; }
