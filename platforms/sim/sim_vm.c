/* The simulator's side of the VM: the definitions of the spec's state, the bytecode table
 * built from BYTECODE_TABLE, and the report added to every fatal error. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "gc_copy.h"
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

int simBytesPerWord(void) { return BytesPerWord; }

/* a Symbol or String's text, or "?" */
static void printBytesOf(sqInt oop)
{
    sqInt i, n;
    if (oop == 0 || isImmediate(oop) || !simIsObjectStart(oop) || formatOf(oop) < Format8Bit || formatOf(oop) >= FormatCompiledMethod) {
        fputs("?", stderr);
        return;
    }
    n = numBytesOf(oop);
    for (i = 0; i < n && i < 80; i++) fputc((int)fetchByte(i, oop), stderr);
}

/* Class>>selector of a method from its literals (penultimate: selector, last: class binding) */
static void printMethodName(sqInt m)
{
    sqInt n, sel, binding, outer = m;
    if (!simIsObjectStart(m) || !isCompiledMethod(m)) { fputs("(not a method)", stderr); return; }
    while (simIsObjectStart(outer) && isCompiledMethod(outer)) {
        m = outer;
        n = methodNumLiterals(m);
        outer = n > 0 ? literal(n - 1, m) : 0;
    }
    n = methodNumLiterals(m);
    binding = outer;
    sel = n > 1 ? literal(n - 2, m) : 0;
    if (binding && !isImmediate(binding) && simIsObjectStart(binding) && isPointersNonImm(binding) && numSlotsOf(binding) >= 2) {
        sqInt cls = fetchPointer(1, binding);
        sqInt name = (!isImmediate(cls) && simIsObjectStart(cls) && isPointersNonImm(cls) && numSlotsOf(cls) > 6) ? fetchPointer(6, cls) : fetchPointer(0, binding);
        printBytesOf(name);
    } else {
        fputs("?", stderr);
    }
    fputs(">>", stderr);
    if (sel && !isImmediate(sel) && simIsObjectStart(sel) && isPointersNonImm(sel) && numSlotsOf(sel) >= 2) sel = fetchPointer(0, sel);
    printBytesOf(sel);
}

/* the name of a class, or of the class a metaclass describes followed by " class" */
static void printClassName(sqInt cls)
{
    if (cls == 0 || isImmediate(cls) || !simIsObjectStart(cls) || !isPointersNonImm(cls)) { fputs("?", stderr); return; }
    if (numSlotsOf(cls) > 6 && !isImmediate(fetchPointer(6, cls)) && simIsObjectStart(fetchPointer(6, cls))
        && formatOf(fetchPointer(6, cls)) >= Format8Bit) {
        printBytesOf(fetchPointer(6, cls));
        return;
    }
    /* a metaclass: its sole instance is its last named slot in Squeak and Pharo (thisClass) */
    if (numSlotsOf(cls) > 5) {
        printClassName(fetchPointer(5, cls));
        fputs(" class", stderr);
        return;
    }
    fputs("?", stderr);
}

/* " (a ClassName)" and, for doesNotUnderstand:, the selector of the Message */
static void printActivationDetails(sqInt rcvr, sqInt firstArg)
{
    fputs("  (a ", stderr);
    printClassName(fetchClassOf(rcvr));
    fputs(")", stderr);
    if (firstArg && !isImmediate(firstArg) && simIsObjectStart(firstArg) && isPointersNonImm(firstArg)
        && fetchClassOf(firstArg) == splObj(SpecialClassMessage)) {
        fputs(" message #", stderr);
        printBytesOf(fetchPointer(MessageSelectorIndex, firstArg));
    }
}

/* the innermost frames and contexts of the active process, innermost first, across pages
 * (a base frame's caller context) and into divorced contexts; TALC_SIM_BACKTRACE=n for more */
static void printBacktrace(void)
{
    sqInt fp = framePointer, ctx = 0;
    const char *env = getenv("TALC_SIM_BACKTRACE");
    int depth = 0, limit = env ? atoi(env) : 16;
    if (stackPage == 0 || fp == 0) return;
    fputs("  frames and contexts (innermost first):\n", stderr);
    while (depth < limit) {
        if (fp != 0) {
            fputs("    ", stderr);
            printMethodName(frameMethod(fp));
            printActivationDetails(frameReceiver(fp), frameNumArgs(fp) > 0 ? temporary(0, fp) : 0);
            fputs(frameIsBlock(fp) ? " [block]\n" : "\n", stderr);
            if (!isBaseFrame(fp)) { fp = frameCallerFP(fp); depth++; continue; }
            ctx = frameCallerContext(fp);
            fp = 0;
        } else {
            if (ctx == nilObj || isImmediate(ctx) || !simIsObjectStart(ctx) || numSlotsOf(ctx) < ContextTempFrameStart) break;
            if (isMarriedContext(ctx)) { fp = frameOfMarriedContext(ctx); continue; }
            fputs("    ", stderr);
            printMethodName(fetchPointer(ContextMethodIndex, ctx));
            printActivationDetails(fetchPointer(ContextReceiverIndex, ctx),
                                   isIntegerObject(fetchPointer(ContextSPIndex, ctx)) && integerValueOf(fetchPointer(ContextSPIndex, ctx)) > 0
                                       ? fetchPointer(ContextTempFrameStart, ctx) : 0);
            fputs(fetchPointer(ContextClosureIndex, ctx) != nilObj ? " [block, context]\n" : " [context]\n", stderr);
            ctx = fetchPointer(ContextSenderIndex, ctx);
        }
        depth++;
    }
}

/* where the interpreter was, for every report */
void platformFatalHook(void)
{
    fprintf(stderr, "  interpreter: %ld bytecodes run, method 0x%lx, ip 0x%lx, fp 0x%lx, sp 0x%lx, bytecode %ld\n",
            (long)bytecodeCount, (unsigned long)method, (unsigned long)instructionPointer, (unsigned long)framePointer,
            (unsigned long)stackPointer, (long)currentBytecode);
    fprintf(stderr, "  memory: %ld scavenges, %ld bytes tenured, eden %ld/%ld bytes used, old space %ld/%ld bytes used, remembered %ld\n",
            (long)scavengeCount, (long)tenuredBytes, (long)(freeStart - edenStart), (long)(edenHardLimit - edenStart),
            (long)(endOfOldObjects - oldSpaceStart), (long)(oldSpaceLimit - oldSpaceStart), (long)rememberedSetCount);
    fprintf(stderr, "  stack: %ld page divorces\n", (long)statStackPageDivorces);
    printBacktrace();
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
    fflush(stdout);
    fprintf(stderr, "talc-sim: interrupted by signal %d\n", sig);
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
            "  --gc-replay N when a collection fails on its copy, re-run it N times on fresh copies\n");
}

/* talc-sim --variant key=value (e.g. method_lookup=hashed): the simulator's choice of variant */
int platformSimOption(int argc, char **argv, int *i)
{
    const char *arg, *eq;
    size_t k;
    int key;
    if (simGCCopyOption(argc, argv, i)) return 1;
    if (strcmp(argv[*i], "--variant") != 0) return 0;
    if (*i + 1 >= argc) { fprintf(stderr, "talc-sim: --variant needs key=value\n"); exit(64); }
    arg = argv[++*i];
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
