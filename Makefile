# socialinvest — PGXS build.
#
# Targets: all install test fuzz demo demo-stop bench unit clean
# The install scripts are assembled from one fragment per concept
# (extension/<version>/NN_concept.sql) so that each concept's SQL lives
# beside nothing else; the assembled files are what PostgreSQL installs.

EXTNAME      = socialinvest
PG_CONFIG   ?= $(shell command -v pg_config >/dev/null 2>&1 && pg_config --bindir >/dev/null 2>&1 && echo pg_config || echo /usr/lib/postgresql/15/bin/pg_config)

# Versions in upgrade order. The first is installed by its full script, each
# later one by an upgrade script from its predecessor.
VERSIONS     = 0.1.0 0.2.0
BASE_VERSION = $(firstword $(VERSIONS))

MODULE_big   = $(EXTNAME)
SRCS         = $(sort $(wildcard src/*.c) $(wildcard src/math/*.c))
OBJS         = $(SRCS:.c=.o)

BASE_SCRIPT  = extension/$(EXTNAME)--$(BASE_VERSION).sql
UPGRADE_SCRIPTS = $(shell v="$(VERSIONS)"; set -- $$v; prev=$$1; shift; \
                  for x in "$$@"; do echo extension/$(EXTNAME)--$$prev--$$x.sql; prev=$$x; done)
DATA_built   = $(BASE_SCRIPT) $(UPGRADE_SCRIPTS)
DATA         = control/$(EXTNAME).control
MODULEDIR    = extension

# PostgreSQL's own headers are included as system headers: -Wextra then
# applies to our code only (the server headers trip -Wunused-parameter).
PG_CPPFLAGS  = -I$(srcdir)/src -I$(srcdir)/src/math \
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

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Assemble install scripts from fragments.
$(BASE_SCRIPT): $(sort $(wildcard extension/$(BASE_VERSION)/*.sql))
	@tools/assemble-script.sh $@ $^

extension/$(EXTNAME)--%.sql:
	@tools/assemble-script.sh $@ $(sort $(wildcard extension/$(lastword $(subst --, ,$*))/*.sql))

$(UPGRADE_SCRIPTS): $(sort $(wildcard extension/*/*.sql))

.PHONY: test fuzz unit demo demo-stop bench deps

deps:
	@tools/deps.sh

# Unit tests of the PostgreSQL-free code (src/math): plain cc, no server.
unit:
	@tools/unit.sh

# make test SANITIZE=1: every suite against a sanitizer build.
test:
	@SANITIZE=$(SANITIZE) tools/test.sh

# libFuzzer targets (test/fuzz), FUZZ_SECONDS each (make test runs them
# briefly); needs clang.
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_REQUIRED=1 tools/fuzz.sh

demo:
	@tools/demo.sh

demo-stop:
	@tools/cluster.sh stop

bench:
	@bench/run.sh

# The command-line loader si_load (src/cli, libpq): a client program, not
# part of the shared library. Built by `all`, installed into bindir.
SI_LOAD      = src/cli/si_load
SI_LOAD_SRCS = $(sort $(wildcard src/cli/*.c)) src/math/isoweek.c
all: $(SI_LOAD)
$(SI_LOAD): $(SI_LOAD_SRCS) $(wildcard src/cli/*.h) src/math/isoweek.h
	$(CC) $(CFLAGS) $(PG_CFLAGS) $(SAN_CLI) -Isrc/cli -Isrc/math -I$(includedir) \
		-o $@ $(SI_LOAD_SRCS) $(LDFLAGS) -L$(libdir) -lpq
install: install-si-load
install-si-load: $(SI_LOAD)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(SI_LOAD) '$(DESTDIR)$(bindir)/si_load'
clean: clean-si-load
clean-si-load:
	rm -f $(SI_LOAD)
.PHONY: install-si-load clean-si-load
