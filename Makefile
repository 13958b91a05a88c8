# Talc: one spec, translated (build/talc) and simulated (build/talc-sim).
#   make                      translator, both word sizes' VMs (build/talc is 64-bit, build/stack-spur32/talc),
#                             both simulators (build/talc-sim 64-bit, build/talc-sim32), build/talc-lockstep,
#                             the bootstrapper and images
#   make FLAVOUR=name         build/name/talc from generated/name/
#   make generate             regenerate generated/ for every flavour (needs the translator)
#   make check-generated      fail if generated/ differs from what the translator makes now
#   make dist FLAVOUR=name    build/talc-<version>-<name>.tar.gz: generated C, platforms, plain Makefile
#   make install PREFIX=dir   binaries into dir/bin
#   make test | bench | fuzz

CC      ?= cc
CSTD     = -std=c11 -D_GNU_SOURCE
WARN     = -Wall -Wextra
OPT     ?= -O2 -g
CFLAGS  ?=
SANITIZE ?=
ALL_CFLAGS = $(CSTD) $(WARN) $(OPT) $(SANITIZE) $(CFLAGS)

DEFAULT_FLAVOUR = stack-spur64
# the flavour built beside the default one, for images of the other word size
OTHER_WORD_SIZE_FLAVOUR = stack-spur32
FLAVOURS  = $(basename $(notdir $(wildcard vmspec/flavours/*.lua)))
FLAVOUR  ?= $(DEFAULT_FLAVOUR)

B = build
PLATFORM_SRC = $(filter-out platforms/memory.c,$(wildcard platforms/*.c))
PLATFORM_HDR = $(wildcard platforms/*.h)
SPEC_SRC = $(wildcard vmspec/*.c)
SPEC_HDR = $(wildcard vmspec/*.h)
SIM_SRC  = $(wildcard platforms/sim/*.c)
SIM_HDR  = $(wildcard platforms/sim/*.h)
LOCKSTEP_SRC = $(wildcard platforms/lockstep/*.c)
LOCKSTEP_HDR = $(wildcard platforms/lockstep/*.h)

# ---- the translator (tree-sitter + the C grammar from npm + Lua for flavours) ----
GRAMMAR  = $(B)/deps/node_modules/tree-sitter-c/src
TR_SRC   = $(wildcard translator/*.c)
TR_HDR   = $(wildcard translator/*.h)
LUA_CFLAGS := $(shell pkg-config --cflags lua5.4 2>/dev/null)
LUA_LIBS   := $(shell pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4)
# the simulators link Lua (their debugger) and export their symbols (a watchpoint names the spec
# functions that made the store); the production VMs link neither
SIM_LIBS = $(LUA_LIBS) -lm -rdynamic

VERSION := $(shell git describe --tags --always 2>/dev/null || echo 0)
PREFIX  ?= /usr/local

.PHONY: all translator sim vm generate check-generated test bench fuzz clean deps dist install

ifeq ($(FLAVOUR),$(DEFAULT_FLAVOUR))
VM_OUT = $(B)/talc
else
VM_OUT = $(B)/$(FLAVOUR)/talc
endif

all: $(B)/talc-translate $(VM_OUT) $(B)/talc $(B)/$(OTHER_WORD_SIZE_FLAVOUR)/talc $(B)/talc-sim $(B)/talc-sim32 $(B)/talc-lockstep images

translator: $(B)/talc-translate
sim: $(B)/talc-sim $(B)/talc-sim32
vm: $(VM_OUT)

$(GRAMMAR)/parser.c:
	./build-scripts/install-deps.sh

$(B)/deps/ts-c-parser.o: $(GRAMMAR)/parser.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -w -I$(GRAMMAR) -c $< -o $@

$(B)/talc-translate: $(TR_SRC) $(TR_HDR) $(B)/deps/ts-c-parser.o
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -o $@ $(TR_SRC) $(B)/deps/ts-c-parser.o -ltree-sitter $(LUA_LIBS)

# ---- generated C, committed; regenerated only when asked or when the spec changed ----
generate: $(B)/talc-translate
	@for f in $(FLAVOURS); do \
	  ./$(B)/talc-translate --flavour vmspec/flavours/$$f.lua -o generated/$$f vmspec || exit 1; \
	done

check-generated: $(B)/talc-translate
	@rm -rf $(B)/check-generated && mkdir -p $(B)/check-generated
	@for f in $(FLAVOURS); do \
	  ./$(B)/talc-translate --flavour vmspec/flavours/$$f.lua -o $(B)/check-generated/$$f vmspec || exit 1; \
	  diff -ru generated/$$f $(B)/check-generated/$$f >/dev/null || \
	    { echo "generated/$$f is stale: run 'make generate' and commit it"; diff -ru generated/$$f $(B)/check-generated/$$f | head -20; exit 1; }; \
	done; echo "generated/ is up to date ($(FLAVOURS))"

# ---- generated/<flavour>/interp.c: translated when the spec, the flavour or the translator changed
# (needs the translator); a distributor's tree has it already and never gets here ----
generated/%/interp.c: vmspec/flavours/%.lua $(SPEC_SRC) $(SPEC_HDR) platforms/platform.h $(TR_SRC) $(TR_HDR)
	@if $(MAKE) -s $(B)/talc-translate; then \
	  ./$(B)/talc-translate --flavour vmspec/flavours/$*.lua -o generated/$* vmspec; \
	else echo "cannot build the translator: using the committed $@"; fi

# ---- production VMs: generated C + platforms, nothing else ----
$(B)/talc: generated/$(DEFAULT_FLAVOUR)/interp.c $(PLATFORM_SRC) platforms/memory.c $(PLATFORM_HDR) vmspec/vm.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iplatforms -DTALC_FLAVOUR='"$(DEFAULT_FLAVOUR)"' -o $@ generated/$(DEFAULT_FLAVOUR)/interp.c $(PLATFORM_SRC) platforms/memory.c -lm

$(B)/%/talc: generated/%/interp.c $(PLATFORM_SRC) platforms/memory.c $(PLATFORM_HDR) vmspec/vm.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iplatforms -DTALC_FLAVOUR='"$*"' -o $@ generated/$*/interp.c $(PLATFORM_SRC) platforms/memory.c -lm

# ---- the simulators: the spec compiled directly, every access checked; one per word size, each
# handing an image of the other word size to its sibling ----
$(B)/talc-sim: $(SPEC_SRC) $(SPEC_HDR) $(SIM_SRC) $(SIM_HDR) $(PLATFORM_SRC) $(PLATFORM_HDR)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -DTALC_SIM -DTALC_WORD_BYTES=8 -DTALC_FLAVOUR='"sim-spur64"' -Iplatforms -Ivmspec -o $@ $(SPEC_SRC) $(SIM_SRC) $(PLATFORM_SRC) $(SIM_LIBS)

$(B)/talc-sim32: $(SPEC_SRC) $(SPEC_HDR) $(SIM_SRC) $(SIM_HDR) $(PLATFORM_SRC) $(PLATFORM_HDR)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) $(LUA_CFLAGS) -DTALC_SIM -DTALC_WORD_BYTES=4 -DTALC_FLAVOUR='"sim-spur32"' -Iplatforms -Ivmspec -o $@ $(SPEC_SRC) $(SIM_SRC) $(PLATFORM_SRC) $(SIM_LIBS)

# ---- the lockstep check: talc and talc-sim side by side, digests compared (platforms/lockstep/) ----
$(B)/talc-lockstep: $(LOCKSTEP_SRC) $(LOCKSTEP_HDR)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(LOCKSTEP_SRC)

# ---- distribution: one flavour's generated C, the platform sources and a plain Makefile ----
DIST_NAME = talc-$(VERSION)-$(FLAVOUR)
dist: generated/$(FLAVOUR)/interp.c
	@rm -rf $(B)/dist/$(DIST_NAME) && mkdir -p $(B)/dist/$(DIST_NAME)/platforms $(B)/dist/$(DIST_NAME)/vmspec
	cp generated/$(FLAVOUR)/interp.c $(B)/dist/$(DIST_NAME)/
	cp $(PLATFORM_SRC) platforms/memory.c $(PLATFORM_HDR) $(B)/dist/$(DIST_NAME)/platforms/
	cp vmspec/vm.h $(B)/dist/$(DIST_NAME)/vmspec/
	sed -e 's/@FLAVOUR@/$(FLAVOUR)/' -e 's/@VERSION@/$(VERSION)/' build-scripts/dist.mk >$(B)/dist/$(DIST_NAME)/Makefile
	tar -C $(B)/dist -czf $(B)/$(DIST_NAME).tar.gz $(DIST_NAME)
	@echo "wrote $(B)/$(DIST_NAME).tar.gz"

# ---- install: binaries under $(PREFIX)/bin ----
install: $(VM_OUT) $(B)/talc $(B)/$(OTHER_WORD_SIZE_FLAVOUR)/talc $(B)/talc-sim $(B)/talc-sim32 $(B)/talc-lockstep
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	cp $(B)/talc-lockstep $(DESTDIR)$(PREFIX)/bin/talc-lockstep
	cp $(VM_OUT) $(DESTDIR)$(PREFIX)/bin/$(if $(filter $(DEFAULT_FLAVOUR),$(FLAVOUR)),talc,talc-$(FLAVOUR))
	cp $(B)/talc $(DESTDIR)$(PREFIX)/bin/talc
	cp $(B)/$(OTHER_WORD_SIZE_FLAVOUR)/talc $(DESTDIR)$(PREFIX)/bin/talc-$(OTHER_WORD_SIZE_FLAVOUR)
	cp $(B)/talc-sim $(DESTDIR)$(PREFIX)/bin/talc-sim
	cp $(B)/talc-sim32 $(DESTDIR)$(PREFIX)/bin/talc-sim32
	@if [ -x $(B)/talc-translate ]; then cp $(B)/talc-translate $(DESTDIR)$(PREFIX)/bin/; fi

test: all
	./tests/run.sh

# ---- Talc's own image: the bootstrapper compiles image/kernel/*.st (see image/README.md) ----
BOOT_SRC = $(wildcard image/boot/*.c)
BOOT_HDR = $(wildcard image/boot/*.h)
KERNEL_ST = $(wildcard image/kernel/*.st)
.PHONY: images boot
boot: $(B)/talc-boot
images: $(B)/talc32.image $(B)/talc.image

$(B)/talc-boot: $(BOOT_SRC) $(BOOT_HDR)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) -DTALC_KERNEL_DIR='"$(CURDIR)/image/kernel"' -o $@ $(BOOT_SRC) -lm

$(B)/talc32.image: $(B)/talc-boot $(KERNEL_ST)
	./$(B)/talc-boot --word-size 32 -o $@

$(B)/talc.image: $(B)/talc-boot $(KERNEL_ST)
	./$(B)/talc-boot --word-size 64 -o $@

bench: all
	./tests/bench.sh

fuzz:
	./tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf $(B)/talc $(B)/talc-sim $(B)/talc-sim32 $(B)/talc-lockstep $(B)/talc-translate $(B)/*/talc $(B)/check-generated $(B)/deps/*.o
	rm -f $(B)/talc-boot $(B)/talc32.image $(B)/talc.image
