# socialinvest — PGXS build.
#
# Targets: all install installcheck check-frozen test test-scaleout fuzz demo
#          demo-stop bench deps deps-r unit clean
#
# Versions (docs/releasing.md):
# - Released versions are frozen: their scripts, exactly as shipped, live in
#   extension/released/ and are installed as they are, never regenerated
#   (extension/released/SHA256SUMS; `make check-frozen` and make test fail
#   if one changes).
# - The current version's full install script is assembled from the
#   fragments of every concept, one per concept (extension/<dir>/NN_concept.sql,
#   the directories of SI_FRAGMENT_DIRS in order), edited in place.
# - The upgrade script from the last release is assembled from the fragments
#   in extension/upgrade/<previous>--<current>/, in file-name order, followed
#   by the fragments of concepts new in the current version
#   (extension/<current>/NN_concept.sql): their objects do not exist in the
#   last release, so the same file creates them in both scripts.

EXTNAME      = socialinvest
PG_CONFIG   ?= $(shell command -v pg_config >/dev/null 2>&1 && pg_config --bindir >/dev/null 2>&1 && echo pg_config || echo /usr/lib/postgresql/15/bin/pg_config)

SI_VERSION           = 0.3.0
SI_PREVIOUS_VERSION  = 0.2.0
SI_FRAGMENT_DIRS     = extension/0.1.0 extension/0.2.0 extension/0.3.0
SI_FRAGMENTS         = $(foreach d,$(SI_FRAGMENT_DIRS),$(sort $(wildcard $(d)/*.sql)))
SI_UPGRADE_DIR       = extension/upgrade/$(SI_PREVIOUS_VERSION)--$(SI_VERSION)
SI_NEW_FRAGMENTS     = $(sort $(wildcard extension/$(SI_VERSION)/*.sql))
SI_UPGRADE_FRAGMENTS = $(sort $(wildcard $(SI_UPGRADE_DIR)/*.sql)) $(SI_NEW_FRAGMENTS)
SI_RELEASED_SCRIPTS  = $(sort $(wildcard extension/released/$(EXTNAME)--*.sql))

MODULE_big   = $(EXTNAME)
# The library: every concept folder of src/ (docs/architecture.md), not the
# client programs of src/cli.
SI_SRC_DIRS  = $(filter-out src/cli,$(patsubst %/,%,$(sort $(dir $(wildcard src/*/*.c)))))
SRCS         = $(sort $(foreach d,$(SI_SRC_DIRS),$(wildcard $(d)/*.c)))
OBJS         = $(SRCS:.c=.o)

SI_INSTALL_SCRIPT = extension/$(EXTNAME)--$(SI_VERSION).sql
SI_UPGRADE_SCRIPT = extension/$(EXTNAME)--$(SI_PREVIOUS_VERSION)--$(SI_VERSION).sql
DATA_built   = $(SI_INSTALL_SCRIPT) $(SI_UPGRADE_SCRIPT)
DATA         = control/$(EXTNAME).control $(SI_RELEASED_SCRIPTS)
MODULEDIR    = extension

# PostgreSQL's own headers are included as system headers: -Wextra then
# applies to our code only (the server headers trip -Wunused-parameter).
PG_CPPFLAGS  = $(foreach d,$(SI_SRC_DIRS),-I$(srcdir)/$(d)) \
               -isystem $(shell $(PG_CONFIG) --includedir-server)
# Warnings are errors in every build; test builds add assertion checks.
PG_CFLAGS    = -Wall -Wextra -Werror -Wno-missing-field-initializers
ifeq ($(SI_ASSERT),1)
PG_CPPFLAGS += -DUSE_ASSERT_CHECKING
endif
SHLIB_LINK   = -lm

# SANITIZE=1: the shared library with UndefinedBehaviorSanitizer, si_load
# (and tools/unit.sh's tests) with AddressSanitizer as well; any finding
# aborts. Not ASan in the library: Debian's server is not instrumented, and
# preloading the ASan runtime into it deadlocks before main (the runtime
# initialises inside glibc's bindtextdomain(), called by libgpg-error's
# constructor). The fuzz targets run the type I/O code under ASan instead.
ifeq ($(SANITIZE),1)
SAN_LIB      = -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_CLI      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
PG_CFLAGS   += $(SAN_LIB)
SHLIB_LINK  += $(SAN_LIB)
endif

# No LLVM bitcode: JIT inlining of our functions is not needed, and it
# would make the build depend on clang.
override with_llvm = no

EXTRA_CLEAN  = $(DATA_built) test/unit/build test/fuzz/build

# make installcheck: the pg_regress suites (sql/, expected/) through PGXS
# against a running server, as for any extension: `make install`, then
# PGHOST=... PGPORT=... PGUSER=<a superuser> make installcheck. The server
# reads the reference data and writes a few files itself (server-side COPY
# to results/): inputs and outputs go to a fresh directory under TMPDIR
# (/tmp) that the server can read, with a results/ it can write, so the
# server must run on this machine; pg_regress names the directory holding
# regression.diffs. make test (tools/test.sh) runs the same suites, every
# one of them, on its own throwaway cluster.
SI_SUITES    = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
# Left out of installcheck (make test runs them):
#   did_fdw: needs the postgres_fdw extension and a passwordless loopback
#     connection to the server through its Unix socket as PGUSER, which
#     make test's trust-authenticated cluster provides and a real server
#     usually does not.
SI_INSTALLCHECK_EXCLUDE = did_fdw
REGRESS      = $(filter-out $(SI_INSTALLCHECK_EXCLUDE),$(SI_SUITES))
ifneq ($(filter installcheck,$(MAKECMDGOALS)),)
SI_REGRESS_DIR := $(shell mktemp -d "$${TMPDIR:-/tmp}/socialinvest-installcheck.XXXXXX")
endif
REGRESS_OPTS = --inputdir=$(SI_REGRESS_DIR) --outputdir=$(SI_REGRESS_DIR) --load-extension=$(EXTNAME)
REGRESS_PREP = si-installcheck-prep

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Assemble the current version's scripts from fragments. The directories
# are prerequisites too, so adding or removing a fragment rebuilds.
$(SI_INSTALL_SCRIPT): $(SI_FRAGMENTS) $(wildcard $(SI_FRAGMENT_DIRS)) tools/assemble-script.sh
	@tools/assemble-script.sh $@ $(SI_FRAGMENTS)

$(SI_UPGRADE_SCRIPT): $(SI_UPGRADE_FRAGMENTS) $(wildcard $(SI_UPGRADE_DIR) extension/$(SI_VERSION)) tools/assemble-script.sh
	@tools/assemble-script.sh $@ $(SI_UPGRADE_FRAGMENTS)

# The released scripts are what users' databases were built from: they may
# never change (a fix goes into the next upgrade script).
check-frozen:
	@tools/check-frozen.sh

.PHONY: test fuzz unit demo demo-stop bench deps deps-r check-frozen si-installcheck-prep test-scaleout

# The suites' inputs where the server can read them (see REGRESS above);
# English server messages, as in expected/. The frozen scripts are checked
# first.
si-installcheck-prep: check-frozen
	@cp -R sql expected $(SI_REGRESS_DIR)/
	@cp -R test/data $(SI_REGRESS_DIR)/data
	@mkdir -p $(SI_REGRESS_DIR)/results
	@chmod -R a+rX $(SI_REGRESS_DIR)
	@chmod 1777 $(SI_REGRESS_DIR)/results
	@echo "installcheck inputs in $(SI_REGRESS_DIR)"
installcheck: export PGOPTIONS := $(PGOPTIONS) -c lc_messages=C

deps:
	@tools/deps.sh

# R and did's dependencies for bench/vs_r_did.sh (did itself from CRAN)
deps-r:
	@bench/deps-r.sh

# Unit tests of the PostgreSQL-free code (src/math): plain cc, no server.
unit:
	@tools/unit.sh

# make test SANITIZE=1: every suite against a sanitizer build.
test:
	@SANITIZE=$(SANITIZE) tools/test.sh

# Scale-out: a coordinator and two postgres_fdw shards (ports 5601-5603),
# every estimator distributed against single node (docs/scaleout.md); make
# test runs the same test (test/integration/scaleout.sh).
test-scaleout:
	@tools/scaleout.sh

# libFuzzer targets (test/fuzz), FUZZ_SECONDS each (make test runs them
# briefly); needs clang.
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_REQUIRED=1 tools/fuzz.sh

demo:
	@tools/demo.sh

demo-stop:
	@tools/cluster.sh stop

# make bench: every benchmark, interleaved comparisons, bench/results/<date>.md
# (BENCH_QUICK=1: small sizes, a few minutes; see bench/run.sh)
bench:
	@bench/run.sh

# The command-line programs (src/cli, libpq): the loader si_load and the
# nightly monitoring job si_monitor, two programs sharing the buffer, COPY,
# error and signal helpers (SI_CLI_COMMON). Client programs, not part of
# the shared library; built by `all`, installed into bindir (next to psql;
# si_monitor runs the si_load next to it).
SI_LOAD      = src/cli/si_load
SI_MONITOR   = src/cli/si_monitor
SI_CLI_COMMON = src/cli/load_util.c src/cli/load_signal.c src/math/isoweek.c
SI_CLI_HDRS  = src/cli/load_util.h src/math/isoweek.h
SI_LOAD_SRCS = src/cli/si_load.c src/cli/load_stage.c src/cli/load_wide.c src/cli/load_spell.c \
               src/cli/wide_parse.c $(SI_CLI_COMMON)
# si_monitor: its steps (monitor_*.c) and the report renderer (report*.c)
SI_MONITOR_SRCS = src/cli/si_monitor.c \
               $(sort $(wildcard src/cli/monitor_*.c) $(wildcard src/cli/report*.c)) \
               $(SI_CLI_COMMON)
SI_CLI_BUILD = $(CC) $(CFLAGS) $(PG_CFLAGS) $(SAN_CLI) -Isrc/cli -Isrc/math -I$(includedir)
all: $(SI_LOAD) $(SI_MONITOR)
$(SI_LOAD): $(SI_LOAD_SRCS) $(SI_CLI_HDRS) src/cli/load_stage.h src/cli/wide_parse.h
	$(SI_CLI_BUILD) -o $@ $(SI_LOAD_SRCS) $(LDFLAGS) -L$(libdir) -lpq
$(SI_MONITOR): $(SI_MONITOR_SRCS) $(SI_CLI_HDRS) $(wildcard src/cli/si_monitor.h src/cli/report*.h)
	$(SI_CLI_BUILD) -o $@ $(SI_MONITOR_SRCS) $(LDFLAGS) -L$(libdir) -lpq -lm
install: install-si-load
install-si-load: $(SI_LOAD) $(SI_MONITOR)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(SI_LOAD) '$(DESTDIR)$(bindir)/si_load'
	$(INSTALL_PROGRAM) $(SI_MONITOR) '$(DESTDIR)$(bindir)/si_monitor'
clean: clean-si-load
clean-si-load:
	rm -f $(SI_LOAD) $(SI_MONITOR)
.PHONY: install-si-load clean-si-load
