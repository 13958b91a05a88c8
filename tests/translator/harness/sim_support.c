/* Checked memory and table dispatch for the fixture compiled directly (-DTALC_SIM). */
#include "sim_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fixture/ops.h"
#include "../fixture/bytecodes.h"

#define DEFINE_SCALAR(type, name, init) type name = init;
#define DEFINE_ARRAY(type, name, count) type name[count];
VM_STATE(DEFINE_SCALAR, DEFINE_ARRAY)

unsigned char simMemory[SIM_BYTES];

static void check(intptr_t a, int size, const char *file, int line)
{
    if (a < SIM_BASE || a + size > SIM_BASE + SIM_BYTES || (a % size) != 0) {
        fprintf(stderr, "%s:%d: bad %d-byte access at 0x%lx\n", file, line, size, (long)a);
        exit(3);
    }
}

intptr_t simRead(intptr_t a, int size, const char *file, int line)
{
    check(a, size, file, line);
    uint64_t v = 0;
    for (int i = size - 1; i >= 0; i--)
        v = (v << 8) | simMemory[a - SIM_BASE + i];
    return (intptr_t)v;
}

void simWrite(intptr_t a, int size, int64_t v, const char *file, int line)
{
    check(a, size, file, line);
    for (int i = 0; i < size; i++)
        simMemory[a - SIM_BASE + i] = (unsigned char)((uint64_t)v >> (8 * i));
}

intptr_t simByteAt(intptr_t a, const char *file, int line) { return simRead(a, 1, file, line); }
void simByteAtPut(intptr_t a, intptr_t v, const char *file, int line) { simWrite(a, 1, v, file, line); }

double simFloat64At(intptr_t a, const char *file, int line)
{
    check(a, 8, file, line);
    double d;
    memcpy(&d, simMemory + (a - SIM_BASE), 8);
    return d;
}

void simFloat64AtPut(intptr_t a, double v, const char *file, int line)
{
    check(a, 8, file, line);
    memcpy(simMemory + (a - SIM_BASE), &v, 8);
}

void simAssertFailed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
    exit(2);
}

typedef void (*Routine)(void);

void simDispatchBytecode(intptr_t index)
{
    static Routine table[512];
    if (!table[0]) {
#define ENTRY(first, last, routine) for (int i = (first); i <= (last); i++) table[i] = routine;
        BYTECODE_TABLE(ENTRY)
#undef ENTRY
    }
    table[index]();
}

void simTrace(const char *what, intptr_t value) { fprintf(stderr, "trace %s %ld\n", what, (long)value); }

int simIsInMemory(intptr_t a) { return a >= SIM_BASE && a < SIM_BASE + SIM_BYTES; }

/* every variant is built; FIXTURE_VARIANT=key=value picks one, else the table's first value */
#include <stdlib.h>
#include <string.h>
#include "../fixture/variants.h"
int simVariantIs(const char *key, const char *value)
{
    static const char *const table[][2] = {
#define FIXTURE_VARIANT_ENTRY(k, v) {#k, #v},
        VARIANT_TABLE(FIXTURE_VARIANT_ENTRY)
#undef FIXTURE_VARIANT_ENTRY
    };
    const char *env = getenv("FIXTURE_VARIANT");
    size_t klen = strlen(key);
    if (env && !strncmp(env, key, klen) && env[klen] == '=') return !strcmp(env + klen + 1, value);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i][0], key)) return !strcmp(table[i][1], value);
    simAssertFailed("VARIANT key in VARIANT_TABLE", __FILE__, __LINE__);
}
