/* The simulator's side of the VM: the definitions of the spec's state, the bytecode table
 * built from BYTECODE_TABLE, and the report added to every fatal error. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim_debug.h"
#include "gc_copy.h"
#include "../platform_internal.h"

#define SIM_DEFINE_SCALAR(type, name, init) type name = init;
#define SIM_DEFINE_ARRAY(type, name, count) type name[count];
VM_STATE(SIM_DEFINE_SCALAR, SIM_DEFINE_ARRAY)

typedef void (*BytecodeRoutine)(void);
static BytecodeRoutine bytecodeTable[BytecodeTableSize];
static const char *bytecodeNames[BytecodeTableSize];

const char *simBytecodeRoutineName(sqInt index) { return index >= 0 && index < BytecodeTableSize ? bytecodeNames[index] : NULL; }

__attribute__((constructor)) static void buildBytecodeTable(void)
{
    int i;
#define SIM_TABLE_ENTRY(first, last, routine) for (i = (first); i <= (last); i++) bytecodeTable[i] = routine, bytecodeNames[i] = #routine;
    BYTECODE_TABLE(SIM_TABLE_ENTRY)
#undef SIM_TABLE_ENTRY
}

static void dispatch(sqInt index)
{
    if (index < 0 || index >= BytecodeTableSize) simAssertFailed("bytecode index in range", __FILE__, __LINE__);
    bytecodeTable[index]();
}

static __attribute__((noinline)) void hookThenDispatch(sqInt index)
{
    simBytecodeHit();
    dispatch(index);
}

sqInt simBytecodeIP;

/* both paths end in a tail call: with no hook set, this stays as cheap as a plain dispatch */
void simDispatchBytecode(sqInt index)
{
    simBytecodeIP = instructionPointer - 1;
    if (simHookBytecodes) {
        hookThenDispatch(index);
        return;
    }
    dispatch(index);
}

int simBytesPerWord(void) { return BytesPerWord; }

/* where the interpreter was, for every report; then, under the debugger, a last stop */
void platformFatalHook(void)
{
    static int reporting;
    const char *env = getenv("TALC_SIM_BACKTRACE");
    SimText t = {0};
    jmp_buf guard, *outer = simCheckGuard;
    if (reporting++) return;    /* a failed check while reporting one */
    fprintf(stderr, "  interpreter: %ld bytecodes run, method 0x%lx, ip 0x%lx, fp 0x%lx, sp 0x%lx, bytecode %ld\n",
            (long)bytecodeCount, (unsigned long)method, (unsigned long)instructionPointer, (unsigned long)framePointer,
            (unsigned long)stackPointer, (long)currentBytecode);
    fprintf(stderr, "  memory: %ld scavenges, %ld bytes tenured, eden %ld/%ld bytes used, old space %ld/%ld bytes used, remembered %ld\n",
            (long)scavengeCount, (long)tenuredBytes, (long)(freeStart - edenStart), (long)(edenHardLimit - edenStart),
            (long)(endOfOldObjects - oldSpaceStart), (long)(oldSpaceLimit - oldSpaceStart), (long)rememberedSetCount);
    fprintf(stderr, "  stack: %ld page divorces\n", (long)statStackPageDivorces);
    if (stackPage != 0 && framePointer != 0) {
        simCheckGuard = &guard;
        if (setjmp(guard) == 0) simBacktrace(env ? atoi(env) : 16, 0, &t);
        else simTextf(&t, "    (the walk stopped: %s)\n", simCheckMessage);
        simCheckGuard = outer;
        fprintf(stderr, "  frames and contexts (innermost first):\n%s", simTextString(&t));
        simTextFree(&t);
    }
    simDebuggerFatal(simCheckMessage[0] ? simCheckMessage : "fatal VM error");
    reporting = 0;
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

/* Interrupted (Ctrl-C, timeout): say where the interpreter was, then stop. The report is not
 * async-signal-safe, which is acceptable for a process that exits right after it. */
static void onInterrupt(int sig)
{
    /* under the debugger: the prompt before the next bytecode; a second Ctrl-C before the VM
     * got there (stuck outside the bytecode loop) ends the run as usual */
    if (sig == SIGINT && simDebuggerEngaged() && simRequestInterrupt()) return;
    fflush(stdout);
    fprintf(stderr, "talc-sim: interrupted by signal %d\n", sig);
    simCheckMessage[0] = '\0';
    simDebuggerDisengage();
    platformFatalHook();
    _exit(128 + sig);
}

__attribute__((constructor)) static void installSignalHandlers(void)
{
    signal(SIGINT, onInterrupt);
    signal(SIGTERM, onInterrupt);
    signal(SIGSEGV, onSignal);
    signal(SIGBUS, onSignal);
    signal(SIGFPE, onSignal);
    signal(SIGILL, onSignal);
}

/* ---- variants: every one is built; --variant key=value picks one at run time ---- */
static const struct { const char *key, *value; } simVariants[] = {
#define SIM_VARIANT_ENTRY(key, value) {#key, #value},
    VARIANT_TABLE(SIM_VARIANT_ENTRY)
#undef SIM_VARIANT_ENTRY
};
#define SimVariantCount (sizeof simVariants / sizeof simVariants[0])
static const char *simVariantChoice[SimVariantCount]; /* by the index of a key's first entry */

static int simVariantKeyIndex(const char *key, size_t len)
{
    size_t k;
    for (k = 0; k < SimVariantCount; k++)
        if (strlen(simVariants[k].key) == len && !strncmp(simVariants[k].key, key, len)) return (int)k;
    return -1;
}

int simVariantIs(const char *key, const char *value)
{
    int k = simVariantKeyIndex(key, strlen(key));
    if (k < 0) simAssertFailed("VARIANT names a key of VARIANT_TABLE", __FILE__, __LINE__);
    return !strcmp(simVariantChoice[k] ? simVariantChoice[k] : simVariants[k].value, value);
}

void platformSimUsage(FILE *out)
{
    fprintf(out,
            "\nSimulator options:\n"
            "  --variant key=value  run this variant of the spec (see vmspec/variants.h)\n"
            "  --no-gc-copy  run each collection on the heap itself, not first on a copy of it\n"
            "  --gc-replay N when a collection fails on its copy, re-run it N times on fresh copies\n"
            "The debugger (docs/simulator.md):\n"
            "  --script FILE.lua     run a Lua script from the first bytecode on (the talc.* API)\n"
            "  --interactive         a prompt on stdin before the first bytecode and at every stop\n"
            "  --break-send SELECTOR           stop when SELECTOR is sent\n"
            "  --break-method 'Class>>sel'     stop when that method is entered ('Class class>>sel')\n"
            "  --break-bytecode N              stop before the Nth bytecode\n"
            "  --break-gc any|scavenge|full    stop before a collection\n"
            "  --watch OOP:SLOT                stop when slot SLOT (from 1) of the object at OOP is written\n"
            "  --watch-range ADDRESS:BYTES     stop when any of those bytes is written\n"
            "  --break-if EXPR       only stop when the Lua expression EXPR (over `hit`) holds, for the\n"
            "                        breakpoint or watchpoint before it\n"
            "A stop no script is waiting for opens the prompt (c, s, n, f, bt, help; or Lua).\n");
}

/* talc-sim --variant key=value (e.g. method_lookup=hashed): the simulator's choice of variant */
int platformSimOption(int argc, char **argv, int *i)
{
    const char *arg, *eq;
    size_t k;
    int key;
    if (simGCCopyOption(argc, argv, i)) return 1;
    if (simDebuggerOption(argc, argv, i)) return 1;
    if (strcmp(argv[*i], "--variant") != 0) return 0;
    arg = platformOptionArgument(argc, argv, i, "--variant", "needs key=value");
    eq = strchr(arg, '=');
    key = eq ? simVariantKeyIndex(arg, (size_t)(eq - arg)) : -1;
    if (key >= 0)
        for (k = (size_t)key; k < SimVariantCount; k++)
            if (!strcmp(simVariants[k].key, simVariants[key].key) && !strcmp(simVariants[k].value, eq + 1)) {
                simVariantChoice[key] = simVariants[k].value;
                return 1;
            }
    fprintf(stderr, "talc-sim: unknown variant '%s'; known:", arg);
    for (k = 0; k < SimVariantCount; k++) fprintf(stderr, " %s=%s", simVariants[k].key, simVariants[k].value);
    fputc('\n', stderr);
    exit(64);
}
