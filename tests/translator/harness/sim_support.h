/* The fixture's simulator support: checked memory, dispatch through a table, assertions. */
#ifndef FIXTURE_SIM_SUPPORT_H
#define FIXTURE_SIM_SUPPORT_H

#include <stdint.h>

#define SIM_BASE 0x10000
#define SIM_BYTES 8192
extern unsigned char simMemory[SIM_BYTES];

intptr_t simByteAt(intptr_t a, const char *file, int line);
void simByteAtPut(intptr_t a, intptr_t v, const char *file, int line);
intptr_t simRead(intptr_t a, int size, const char *file, int line);
void simWrite(intptr_t a, int size, int64_t v, const char *file, int line);
double simFloat64At(intptr_t a, const char *file, int line);
void simFloat64AtPut(intptr_t a, double v, const char *file, int line);
_Noreturn void simAssertFailed(const char *expr, const char *file, int line);
void simDispatchBytecode(intptr_t index);
void simTrace(const char *what, intptr_t value);
int simIsInMemory(intptr_t a);
int simVariantIs(const char *key, const char *value);

#endif
