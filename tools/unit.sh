#!/bin/sh
# Build and run the unit tests of the PostgreSQL-free code in src/math.
# Each test program prints TAP-style lines ("ok N - what" / "not ok N - what").
set -e
cd "$(dirname "$0")/.."
out=test/unit/build
mkdir -p "$out"
CC=${CC:-cc}
CFLAGS="-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -std=gnu99 -Isrc/math -Itest/unit"
# SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer (errors abort)
if [ "${SANITIZE:-0}" = 1 ]; then
	CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
fi
status=0
# src/math is compiled once (two at a time) into objects every test links
# against, instead of once per test program
rm -f "$out"/math_*.o
for src in src/math/*.c; do
	echo "$out/math_$(basename "$src" .c).o $src"
done | xargs -P 2 -n 2 sh -c "$CC $CFLAGS -c \"\$1\" -o \"\$0\"" ||
	{ echo "not ok - src/math does not compile"; exit 1; }
for t in test/unit/test_*.c; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .c)
	if ! $CC $CFLAGS -o "$out/$name" "$t" "$out"/math_*.o -lm; then
		echo "not ok - $name does not compile"
		status=1
		continue
	fi
	if ! "$out/$name"; then
		echo "not ok - $name exited with failure"
		status=1
	fi
done
exit $status
