#!/bin/bash
# libFuzzer runs of the extension's input parsers (test/fuzz): every
# type's text input and binary receive, the benefit_path core and the
# DREAM wide-file parser of si_load. Built with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer; prints one TAP line per target.
#
#   tools/fuzz.sh                  each target FUZZ_SECONDS (default 60) seconds
#   tools/fuzz.sh --total SECONDS  all targets together about SECONDS
#                                  (make test: 49, 7 seconds per target)
#   FUZZ_TARGETS="runpath km_state" tools/fuzz.sh   only those
#
# New inputs found go to a scratch directory, never into the committed
# seed corpora (test/fuzz/corpus/<target>/). A crash prints the report
# and keeps the input (test/fuzz/build/crash-<target>-*); add it to the
# target's corpus once fixed. Without clang and its libFuzzer runtime it
# prints "# SKIP" and exits 0 (exit 3 with FUZZ_REQUIRED=1).
set -eu
cd "$(dirname "$0")/.."

total=""
if [ "${1:-}" = "--total" ]; then
	total=$2
fi
per=${FUZZ_SECONDS:-60}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

CLANG=""
for c in ${CLANG_FUZZ:-} clang clang-16 clang-15 clang-14; do
	if command -v "$c" >/dev/null 2>&1; then CLANG=$c; break; fi
done
out=test/fuzz/build
mkdir -p "$out"
probe() {
	[ -n "$CLANG" ] || return 1
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' >"$out/probe.c"
	"$CLANG" -fsanitize=fuzzer,address,undefined -o "$out/probe" "$out/probe.c" >/dev/null 2>&1
}
if ! probe; then
	echo "# SKIP fuzz: no clang with the libFuzzer runtime (Debian: clang libclang-rt-dev; tools/deps.sh installs them)"
	[ "${FUZZ_REQUIRED:-0}" = 1 ] && exit 3
	exit 0
fi

# Instrumented for coverage, bounds and undefined behaviour; errors abort.
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-g -O1 $SAN -Wall -Wno-unused-parameter -Wno-unused-function"
PGINC=$($PG_CONFIG --includedir-server)
PGLIB=$($PG_CONFIG --pkglibdir)   # libpgcommon.a, libpgport.a
LIBPQINC=$($PG_CONFIG --includedir)

# Targets: name:kind. "pure": PostgreSQL-free code only; "shim": the
# extension's own SQL-callable I/O functions, linked with test/fuzz/pg_shim.c
# (backend services outside a server); "loader": si_load's wide-file parser.
TARGETS="runpath:pure benefit_path:shim rate_state:shim km_state:shim did_state:shim cashflows:shim dream_wide:loader"
if [ -n "${FUZZ_TARGETS:-}" ]; then
	sel=""
	for t in $TARGETS; do
		case " $FUZZ_TARGETS " in *" ${t%%:*} "*) sel="$sel $t" ;; esac
	done
	TARGETS=$sel
fi
ntargets=$(echo $TARGETS | wc -w)
if [ -n "$total" ]; then
	per=$((total / ntargets))
	[ "$per" -ge 1 ] || per=1
fi

need_ext=0
for t in $TARGETS; do [ "${t#*:}" = shim ] && need_ext=1; done
ext_objs=""
# every concept folder of the library, as the Makefile's PG_CPPFLAGS
SI_INCLUDES=$(for d in src/*/; do [ "$d" = src/cli/ ] || printf ' -I%s' "${d%/}"; done)
if [ $need_ext = 1 ]; then
	mkdir -p "$out/ext"
	# the whole library: a helper the I/O functions start calling tomorrow
	# is then linked, not a stub (what needs a server still is one)
	ext_srcs="$(ls src/*/*.c | grep -v '^src/cli/') test/fuzz/pg_shim.c"
	for src in $ext_srcs; do
		ext_objs="$ext_objs $out/ext/$(echo "${src%.c}" | tr / _).o"
	done
	for src in $ext_srcs; do
		o="$out/ext/$(echo "${src%.c}" | tr / _).o"
		# rebuild when the source or any header changed
		if [ ! -f "$o" ] || [ "$src" -nt "$o" ] ||
			[ -n "$(find src test/fuzz -name '*.h' -newer "$o" | head -1)" ]; then
			echo "$o $src"
		fi
	done | xargs -r -P "$(nproc)" -n 2 sh -c "\"$CLANG\" $CFLAGS -fsanitize=fuzzer-no-link $SI_INCLUDES -Itest/fuzz -isystem $PGINC -c \"\$1\" -o \"\$0\" || { rm -f \"\$0\"; exit 255; }" \
		>"$out/ext.log" 2>&1 \
		|| { cat "$out/ext.log"; echo "not ok - fuzz: the extension does not compile with clang"; exit 1; }
fi

# link_with_stubs BIN HARNESS ARGS...: the linked files' other functions
# need a server (SPI, the executor, libpq): each symbol nothing here
# defines gets a stub that aborts naming it, so a harness that reaches
# one fails loudly. The harness itself must need none.
link_with_stubs() {
	local bin=$1 harness=$2 stubs="$1-stubs.c"
	shift 2
	: >"$stubs"
	"$CLANG" $CFLAGS -fsanitize=fuzzer -o "$bin" "$harness" "$stubs" "$@" \
		-Wl,--warn-unresolved-symbols >"$bin-link.log" 2>&1 || { cat "$bin-link.log"; return 1; }
	if grep -E "(fuzz_[a-z_]+\.c|pg_shim\.c|fuzz_typeio\.h):[0-9]+: .*undefined reference" "$bin-link.log"; then
		echo "the harness itself needs undefined symbols"
		return 1
	fi
	{
		echo '#include <stdio.h>'
		echo '#include <stdlib.h>'
		sed -n "s/.*undefined reference to \`\([A-Za-z_0-9]*\)'.*/\1/p" "$bin-link.log" | sort -u |
			while read -r sym; do
				printf 'void %s(void);\nvoid %s(void) { fprintf(stderr, "reached %s, which needs a server\\n"); abort(); }\n' "$sym" "$sym" "$sym"
			done
	} >"$stubs"
	"$CLANG" $CFLAGS -fsanitize=fuzzer -o "$bin" "$harness" "$stubs" "$@"
}

status=0
for spec in $TARGETS; do
	t=${spec%%:*}
	kind=${spec#*:}
	bin="$out/fuzz_$t"
	log="$out/$t.log"
	case $kind in
	pure)
		"$CLANG" $CFLAGS -fsanitize=fuzzer -Isrc/math -o "$bin" "test/fuzz/fuzz_$t.c" src/math/*.c -lm >"$log" 2>&1 ;;
	shim)
		link_with_stubs "$bin" "test/fuzz/fuzz_$t.c" $SI_INCLUDES -Itest/fuzz -isystem "$PGINC" \
			$ext_objs -L"$PGLIB" -lpgcommon -lpgport -lm >"$log" 2>&1 ;;
	loader)
		# si_fatal and the libpq parts are the harness's: rename the real ones
		"$CLANG" $CFLAGS -fsanitize=fuzzer-no-link -Isrc/cli -Isrc/math -I"$LIBPQINC" \
			-Dsi_fatal=si_fatal_real -Dcopy_begin=copy_begin_real -Dcopy_end=copy_end_real \
			-Dcopy_flush_if_full=copy_flush_if_full_real -Drun_cmd=run_cmd_real \
			-c src/cli/load_util.c -o "$out/load_util.o" >"$log" 2>&1 &&
		"$CLANG" $CFLAGS -fsanitize=fuzzer-no-link -Isrc/cli -Isrc/math -I"$LIBPQINC" \
			-Dexec_tmpl=exec_tmpl_real -c src/cli/load_stage.c -o "$out/load_stage.o" >>"$log" 2>&1 &&
		link_with_stubs "$bin" "test/fuzz/fuzz_$t.c" -Isrc/cli -Isrc/math -I"$LIBPQINC" \
			src/cli/load_wide.c src/cli/wide_parse.c src/cli/load_signal.c "$out/load_util.o" "$out/load_stage.o" \
			src/math/isoweek.c src/math/runpath.c >>"$log" 2>&1 ;;
	esac || {
		cat "$log"
		echo "not ok - fuzz $t does not build"
		status=1
		continue
	}
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/si-fuzz-$t.XXXXXX")
	# si_load exits on a fatal error; the harness jumps back instead, so
	# what a fatal path leaves allocated is not a leak of the real program.
	leaks=1
	[ "$kind" = loader ] && leaks=0
	set +e
	ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=1:symbolize=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
		"$bin" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-detect_leaks=$leaks -artifact_prefix="$out/crash-$t-" -print_final_stats=1 \
		"$scratch" "test/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	set -e
	rm -rf "$scratch"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz $t: ${runs:-?} inputs in ${per}s, no crash"
	else
		grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse|INITED)' "$log" | tail -60
		echo "not ok - fuzz $t found a crash (input kept as $out/crash-$t-*)"
		status=1
	fi
done
exit $status
