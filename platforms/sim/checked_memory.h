/* The simulator's VM memory: one byte array seen from a fixed virtual base. Every access from
 * the spec is checked (in range, aligned) and a failure names the spec's file:line and the
 * object the address falls in. */
#ifndef TALC_CHECKED_MEMORY_H
#define TALC_CHECKED_MEMORY_H

#include <stdint.h>

typedef intptr_t sqInt;

sqInt simByteAt(sqInt a, const char *file, int line);
void simByteAtPut(sqInt a, sqInt v, const char *file, int line);
sqInt simShortAt(sqInt a, const char *file, int line);
void simShortAtPut(sqInt a, sqInt v, const char *file, int line);
sqInt simLong32At(sqInt a, const char *file, int line);
void simLong32AtPut(sqInt a, sqInt v, const char *file, int line);
int64_t simLong64At(sqInt a, const char *file, int line);
void simLong64AtPut(sqInt a, int64_t v, const char *file, int line);
double simFloat64At(sqInt a, const char *file, int line);
void simFloat64AtPut(sqInt a, double v, const char *file, int line);

/* object starts, so that a failed check can name the object an address falls in */
void simNoteObjectStart(sqInt oop, sqInt end);
int simIsObjectStart(sqInt oop);
void simForgetObjectStarts(sqInt start, sqInt end);
/* a slot (or byte, if bytes) index of an object: the object must exist and hold it */
void simCheckSlot(sqInt oop, sqInt index, int bytes, const char *file, int line);
/* frees VM memory: platformReserveMemory may be called again */
void simReleaseMemory(void);
int simBytesPerWord(void);
_Noreturn void simAssertFailed(const char *expr, const char *file, int line);
void simDispatchBytecode(sqInt index);
/* whether [a, a + size) lies in VM memory */
int simIsMemory(sqInt a, sqInt size);
/* the text of the last failed check or assertion */
extern char simCheckMessage[512];

#include "sim_hooks.h"

#endif
