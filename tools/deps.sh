#!/bin/sh
# Install the Debian packages socialinvest needs to build, test and run.
# As root it installs what is missing; otherwise it prints the exact
# apt-get line to run and fails.
set -e
# clang-14 and libclang-rt-14-dev: the libFuzzer run of make test (tools/fuzz.sh).
# chromium: the headless browser test of the si_monitor report
# (test/integration/monitor_report.sh).
PKGS="postgresql-15 postgresql-server-dev-15 postgresql-client-15 libpq-dev gcc make clang-14 libclang-rt-14-dev chromium"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "socialinvest: missing Debian packages:$missing" >&2
	echo "Run as root:  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "socialinvest: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The Debian postgresql package creates and starts a system cluster on
# port 5432; we do not use it, but leave it alone if it exists.
apt-get install -y -qq --no-install-recommends $missing >/dev/null
