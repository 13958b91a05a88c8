/* What the spec's SIM_ONLY code calls in the simulator harness (besides checked memory): GC on a
 * copy of the heap (gc_copy.c), and the debugger's hooks (sim_break.c), which the simulator's
 * dispatch and checked stores call too. Each debugger hook costs one test of a global flag while
 * no breakpoint, watchpoint, trace function or step needs it. */
#ifndef TALC_SIM_HOOKS_H
#define TALC_SIM_HOOKS_H

#include <stdint.h>

/* around every scavenge and full GC (kind: GCKindScavenge, GCKindFull): see gc_copy.c */
void simGCBegin(intptr_t kind);
void simGCEnd(intptr_t kind);
int simCollectionVerifiedOnCopy(void);

extern int simHookBytecodes, simHookSends, simHookMethods, simHookStores, simHookMoves, simHookNewObjects;

void simBytecodeHit(void);
void simSendHit(intptr_t selector, intptr_t numArgs, int isSuper);
void simMethodHit(intptr_t method, intptr_t primitive);
/* performs the store (size bytes of bits, little-endian, at host) and reports it if watched */
void simStoreHit(intptr_t address, int size, unsigned char *host, uint64_t bits, const char *file, int line);
void simMovedHit(intptr_t from, intptr_t to);
void simNewObjectHit(intptr_t oop);   /* an object now starts at oop (checked_memory.c notes it) */

/* a send, counted in sendCount: the receiver and the arguments are on the stack */
static inline void simNoteSend(intptr_t selector, intptr_t numArgs, int isSuper)
{
    if (simHookSends) simSendHit(selector, numArgs, isSuper);
}

/* a method with a primitive, before the primitive runs (its frame is not built yet) */
static inline void simNoteMethodEntry(intptr_t method, intptr_t primitive)
{
    if (simHookMethods && primitive > 0) simMethodHit(method, primitive);
}

/* a method without a primitive, its frame built, before its first bytecode */
static inline void simNoteMethodActivated(intptr_t method, intptr_t primitive)
{
    if (simHookMethods && primitive == 0) simMethodHit(method, 0);
}

/* a collector moved the object at from to to (a forwarder left behind, or a compaction) */
static inline void simNoteObjectMoved(intptr_t from, intptr_t to)
{
    if (simHookMoves) simMovedHit(from, to);
}

/* around every scavenge and full collection (a full collection's own scavenge included) */
void simNoteGCStart(int full);
void simNoteGCEnd(int full);

#endif
