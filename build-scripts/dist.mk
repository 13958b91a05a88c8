# Talc @VERSION@, flavour @FLAVOUR@: the translated VM, its entry points (vmspec/vm.h) and its
# platform layer.
# Needs only a C11 compiler and make:   make            -> ./talc
#                                        make install PREFIX=/usr/local
CC      ?= cc
CFLAGS  ?= -O2
PREFIX  ?= /usr/local
SRC = interp.c $(wildcard platforms/*.c)

talc: $(SRC) $(wildcard platforms/*.h) vmspec/vm.h
	$(CC) -std=c11 -D_GNU_SOURCE $(CFLAGS) -Iplatforms -DTALC_FLAVOUR='"@FLAVOUR@"' -o $@ $(SRC) -lm

install: talc
	mkdir -p $(DESTDIR)$(PREFIX)/bin
	cp talc $(DESTDIR)$(PREFIX)/bin/talc

clean:
	rm -f talc

.PHONY: install clean
