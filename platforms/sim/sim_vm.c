/* The simulator's side of the VM: the definitions of the spec's state, the bytecode table
 * built from BYTECODE_TABLE, and the report added to every fatal error. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "../platform_internal.h"

#define SIM_DEFINE_SCALAR(type, name, init) type name = init;
#define SIM_DEFINE_ARRAY(type, name, count) type name[count];
VM_STATE(SIM_DEFINE_SCALAR, SIM_DEFINE_ARRAY)

typedef void (*BytecodeRoutine)(void);
static BytecodeRoutine bytecodeTable[BytecodeTableSize];

static void buildBytecodeTable(void)
{
    int i;
#define SIM_TABLE_ENTRY(first, last, routine) for (i = (first); i <= (last); i++) bytecodeTable[i] = routine;
    BYTECODE_TABLE(SIM_TABLE_ENTRY)
#undef SIM_TABLE_ENTRY
}

void simDispatchBytecode(sqInt index)
{
    if (!bytecodeTable[0]) buildBytecodeTable();
    if (index < 0 || index >= BytecodeTableSize) simAssertFailed("bytecode index in range", __FILE__, __LINE__);
    bytecodeTable[index]();
}

/* where the interpreter was, for every report */
void platformFatalHook(void)
{
    fprintf(stderr, "  interpreter: %ld bytecodes run, method 0x%lx, ip 0x%lx, fp 0x%lx, sp 0x%lx, bytecode %ld\n",
            (long)bytecodeCount, (unsigned long)method, (unsigned long)instructionPointer, (unsigned long)framePointer,
            (unsigned long)stackPointer, (long)currentBytecode);
}

/* The spec reaches memory only through checked accessors, so a signal here is a harness bug:
 * report it like any failed check rather than dying silently. */
static void onSignal(int sig)
{
    static const char msg[] = "talc-sim: internal error: caught a signal (a bug in the simulator harness)\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    (void)sig;
    _exit(70);
}

__attribute__((constructor)) static void installSignalHandlers(void)
{
    signal(SIGSEGV, onSignal);
    signal(SIGBUS, onSignal);
    signal(SIGFPE, onSignal);
    signal(SIGILL, onSignal);
}

int platformSimOption(int argc, char **argv, int *i)
{
    (void)argc; (void)argv; (void)i;
    return 0;
}
