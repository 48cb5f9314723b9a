#!/bin/sh
# make check-frozen: the released install and upgrade scripts
# (extension/released/) are exactly as shipped. Users' databases were
# built from them; a fix goes into the next upgrade script instead.
# Every file there must be listed in SHA256SUMS with its checksum, and
# every listed file must exist. Prints TAP lines; exits non-zero on failure.
set -eu
cd "$(dirname "$0")/../extension/released"
rc=0
if [ ! -f SHA256SUMS ]; then
	echo "not ok - frozen: extension/released/SHA256SUMS is missing"
	exit 1
fi
for f in socialinvest--*.sql; do
	[ -e "$f" ] || continue
	if ! grep -q "  $f\$" SHA256SUMS; then
		echo "not ok - frozen: $f is not listed in extension/released/SHA256SUMS (a released script is added together with its checksum)"
		rc=1
	fi
done
while read -r sum f; do
	if [ ! -e "$f" ]; then
		echo "not ok - frozen: $f is listed in SHA256SUMS but missing"
		rc=1
	elif [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sum" ]; then
		echo "ok - frozen: $f unchanged"
	else
		echo "not ok - frozen: $f differs from the released script (restore it with git checkout main -- extension/released/$f; changes go into extension/upgrade/)"
		rc=1
	fi
done < SHA256SUMS
exit $rc
