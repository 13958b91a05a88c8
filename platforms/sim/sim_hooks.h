/* What the spec's SIM_ONLY code calls in the simulator harness (besides checked memory). */
#ifndef TALC_SIM_HOOKS_H
#define TALC_SIM_HOOKS_H

#include <stdint.h>

/* around every scavenge and full GC (kind: GCKindScavenge, GCKindFull): see gc_copy.c */
void simGCBegin(intptr_t kind);
void simGCEnd(intptr_t kind);

#endif
