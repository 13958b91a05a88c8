/* Runs the fixture's programs; the same driver for the simulator and the translated build. */
#include <stdio.h>
#include <stdlib.h>

#include "../fixture/vm.h"
#include "platform.h"

#ifdef TALC_SIM
#include "sim_support.h"
static sqInt base(void) { return SIM_BASE; }
static void poke(sqInt offset, int byte) { simMemory[offset] = (unsigned char)byte; }
#else
static uint64_t memory[1024];
static sqInt base(void) { return (sqInt)(usqInt)memory; }
static void poke(sqInt offset, int byte) { ((unsigned char *)memory)[offset] = (unsigned char)byte; }
#endif

void platformPrintInteger(sqInt value) { printf("print %ld\n", (long)value); }

void vmAssertFailed(const char *expr, const char *file, int line)
{
    printf("assertion failed: %s (%s:%d)\n", expr, file, line);
    exit(2);
}

static const unsigned char program[] = {
    3, 4, 16, 24,             /* 3 + 4, print */
    5, 17, 6, 18, 24,         /* - 5, * 6, print */
    0, 26,                    /* results[0] := 12 */
    9, 25, 1, 26,             /* (9 / 4.0) * 8 -> results[1] */
    15, 4, 18, 5, 16,         /* 65 */
    8, 8, 18, 20, 24, 2, 26,  /* storeByte at 64, read back as a short -> results[2] */
    12, 8, 18, 21, 24, 3, 26, /* loadWordPair at 96 -> results[3] */
    7, 19, 16, 24,            /* 7 dup + print */
    9, 27, 24,                /* 9 stored and read back through an inlined helper, print */
    22, 7, 23,                /* alternate set: push 14, halt */
};

int main(int argc, char **argv)
{
    if (argc > 1) { /* results[5] := 5: ASSERT(index < ResultSlots) must stop it */
        static const unsigned char bad[] = {5, 5, 26, 23};
        for (size_t i = 0; i < sizeof bad; i++)
            poke(1024 + (sqInt)i, bad[i]);
        printf("halted %ld\n", (long)runProgram(base(), 1024));
        return 0;
    }
    (void)argv;
    for (size_t i = 0; i < sizeof program; i++)
        poke(1024 + (sqInt)i, program[i]);
    printf("word bits %ld\n", (long)fixtureWordBits());
    printf("halted %ld\n", (long)runProgram(base(), 1024));
    for (int i = 0; i < 4; i++)
        printf("result %d = %ld\n", i, (long)resultAt(i));
    poke(2048, 200); /* still in the alternate set: index 456 is unknown */
    printf("halted %ld\n", (long)runProgram(base(), 2048));
    return 0;
}
