/* Breakpoints, watchpoints and stepping. The hooks (sim_hooks.h) call in here only while a flag
 * says something is set; each decides whether the VM stops and hands the stop to the controller
 * (sim_control.c), which evaluates the breakpoint's condition and gives control to the script or
 * the prompt until a run command. */
#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sim_debug.h"

int simHookBytecodes, simHookSends, simHookMethods, simHookStores, simHookMoves, simHookNewObjects;
int simAtBytecodeBoundary, simGCDepth;

static SimBreak *breakpoints;
static int nextId = 1;
static int runMode = RunContinue;
static int startPending;
static volatile sig_atomic_t interruptPending;
static sqInt nextBytecodeBreak;      /* the lowest count of a bytecode breakpoint still ahead, or 0 */
static sqInt watchLow, watchHigh;    /* every watched byte lies in [watchLow, watchHigh) */
static int anySendBreak, anyMethodBreak;
/* a stop after a method's activation sits before its first bytecode without being in the
 * bytecode hook: the step that follows must not stop at that same bytecode */
static int stoppedAtActivation;
static sqInt skipIP, skipFP;

/* the frame a next or a finish runs until it is left: where it is and what identifies it */
static struct {
    sqInt page, fp, method, callerSaved, callerFP;
    int valid;
} stepFrame;

/* per GC: whether a compaction moved old objects, and which watched objects were young */
static int compactionRan;

/* ---- the table ---- */
SimBreak *simBreakAdd(int kind)
{
    SimBreak *b = calloc(1, sizeof *b), **end = &breakpoints;
    if (!b) { fputs("talc-sim: out of memory\n", stderr); exit(70); }
    b->id = nextId++;
    b->kind = kind;
    b->enabled = 1;
    while (*end) end = &(*end)->next;
    *end = b;
    return b;
}

SimBreak *simBreakFind(int id)
{
    SimBreak *b;
    for (b = breakpoints; b; b = b->next)
        if (b->id == id) return b;
    return NULL;
}

SimBreak *simBreakList(void) { return breakpoints; }

int simBreakDelete(int id)
{
    SimBreak **p;
    for (p = &breakpoints; *p; p = &(*p)->next)
        if ((*p)->id == id) {
            SimBreak *b = *p;
            *p = b->next;
            free(b->selector);
            free(b->className);
            free(b);
            simBreakArm();
            return 1;
        }
    return 0;
}

/* the address of a watched slot, from its object's current place */
int simWatchSlotAddress(SimBreak *b)
{
    if (!simIsObject(b->object) || b->slot < 0 || b->slot >= numSlotsOf(b->object)) return 0;
    b->address = b->object + BaseHeaderSize + b->slot * BytesPerWord;
    b->bytes = BytesPerWord;
    return 1;
}

/* ---- caches: does a selector (or a method) oop match a breakpoint? Flushed after every GC ---- */
#define MatchCacheSize 1024
static struct { sqInt oop; int match; } selectorMatchCache[MatchCacheSize], methodMatchCache[MatchCacheSize];

static void flushMatchCaches(void)
{
    memset(selectorMatchCache, 0, sizeof selectorMatchCache);
    memset(methodMatchCache, 0, sizeof methodMatchCache);
}

static int selectorMatches(SimBreak *b, const char *text) { return !b->selector || !strcmp(b->selector, text); }

static int methodMatches(SimBreak *b, const char *className, const char *selector)
{
    return !strcmp(b->className, className) && !strcmp(b->selector, selector);
}

static int anySendBreakMatches(sqInt selector)
{
    unsigned i = (unsigned)(selector >> 3) & (MatchCacheSize - 1);
    SimText t = {0};
    SimBreak *b;
    int match = 0;
    if (selectorMatchCache[i].oop == selector) return selectorMatchCache[i].match;
    if (!simBytesOf(selector, &t)) simTextf(&t, "?");
    for (b = breakpoints; b && !match; b = b->next)
        if (b->enabled && b->kind == BreakSend && selectorMatches(b, simTextString(&t))) match = 1;
    simTextFree(&t);
    selectorMatchCache[i].oop = selector;
    selectorMatchCache[i].match = match;
    return match;
}

static void methodNames(sqInt method, SimText *cls, SimText *sel)
{
    simClassName(simMethodClass(method), cls);
    simSelectorOfMethod(method, sel);
}

static int anyMethodBreakMatches(sqInt method)
{
    unsigned i = (unsigned)(method >> 3) & (MatchCacheSize - 1);
    SimText cls = {0}, sel = {0};
    SimBreak *b;
    int match = 0;
    if (methodMatchCache[i].oop == method) return methodMatchCache[i].match;
    methodNames(method, &cls, &sel);
    for (b = breakpoints; b && !match; b = b->next)
        if (b->enabled && b->kind == BreakMethod && methodMatches(b, simTextString(&cls), simTextString(&sel))) match = 1;
    simTextFree(&cls);
    simTextFree(&sel);
    methodMatchCache[i].oop = method;
    methodMatchCache[i].match = match;
    return match;
}

/* ---- arming: the hook flags follow what is set ---- */
static void armBytecodeHook(void)
{
    simHookBytecodes = startPending || interruptPending || nextBytecodeBreak != 0 || runMode != RunContinue;
}

void simBreakArm(void)
{
    SimBreak *b;
    int stores = 0, moves = 0, pending = 0;
    anySendBreak = anyMethodBreak = 0;
    nextBytecodeBreak = 0;
    watchLow = INTPTR_MAX;
    watchHigh = 0;
    for (b = breakpoints; b; b = b->next) {
        if (b->pending) pending = 1;
        if (!b->enabled) continue;
        switch (b->kind) {
        case BreakSend: anySendBreak = 1; break;
        case BreakMethod: anyMethodBreak = 1; break;
        case BreakBytecode:
            if (b->count >= bytecodeCount + (simAtBytecodeBoundary ? 1 : 0) && (nextBytecodeBreak == 0 || b->count < nextBytecodeBreak))
                nextBytecodeBreak = b->count;
            break;
        case WatchSlot:
            moves = 1;
            if (!simWatchSlotAddress(b)) break;
            /* fall through */
        case WatchRange:
            stores = 1;
            if (b->address < watchLow) watchLow = b->address;
            if (b->address + b->bytes > watchHigh) watchHigh = b->address + b->bytes;
            break;
        default: break;
        }
    }
    simHookSends = anySendBreak || simTraceSends;
    simHookMethods = anyMethodBreak;
    simHookStores = stores;
    simHookMoves = moves;
    simHookNewObjects = pending;
    armBytecodeHook();
    flushMatchCaches();
}

/* ---- running: continue, step, next, finish ---- */
static int stepFrameHolds(void)
{
    if (stepFrame.page == 0 || isFreePage(stepFrame.page)) return 0;
    return frameMethod(stepFrame.fp) == stepFrame.method && frameCallerSavedIP(stepFrame.fp) == stepFrame.callerSaved
        && frameCallerFP(stepFrame.fp) == stepFrame.callerFP;
}

static void noteStepFrame(void)
{
    stepFrame.page = stackPage;
    stepFrame.fp = framePointer;
    if (stackPage == 0 || framePointer == 0) { stepFrame.page = 0; return; }
    stepFrame.method = frameMethod(framePointer);
    stepFrame.callerSaved = frameCallerSavedIP(framePointer);
    stepFrame.callerFP = frameCallerFP(framePointer);
}

void simSetRunMode(int mode)
{
    runMode = mode;
    skipIP = stoppedAtActivation ? instructionPointer : 0;
    skipFP = framePointer;
    if (mode == RunNext || mode == RunFinish) noteStepFrame();
    armBytecodeHook();
}

/* before a bytecode, in a next or a finish: has the frame been left (or, for next, come back to)?
 * Frames on one page nest by address; a frame on another page is this one's callee if this one
 * still stands where it was (a frame whose page was divorced meanwhile counts as left) */
static int stepDone(void)
{
    int holds;
    if (runMode == RunStep || stepFrame.page == 0) return 1;
    holds = stepFrameHolds();
    if (stackPage == stepFrame.page) {
        if (framePointer > stepFrame.fp) return 1;
        if (framePointer == stepFrame.fp) return !holds || runMode == RunNext;
    }
    return !holds;
}

void simRequestStart(void)
{
    startPending = 1;
    armBytecodeHook();
}

int simRequestInterrupt(void)
{
    if (interruptPending) return 0;
    interruptPending = 1;
    simHookBytecodes = 1;
    return 1;
}

static void initStop(SimStop *s, int reason, SimBreak *b)
{
    memset(s, 0, sizeof *s);
    s->reason = reason;
    s->breakpoint = b;
}

void simBytecodeHit(void)
{
    SimStop stop;
    SimBreak *b;
    int stopped = 0;
    simAtBytecodeBoundary = 1;
    if (startPending) {
        startPending = 0;
        initStop(&stop, StopStart, NULL);
        stopped = simDebuggerStop(&stop);
    } else if (interruptPending) {
        interruptPending = 0;
        initStop(&stop, StopInterrupt, NULL);
        stopped = simDebuggerStop(&stop);
    }
    if (!stopped && nextBytecodeBreak != 0 && bytecodeCount >= nextBytecodeBreak) {
        for (b = breakpoints; b && !stopped; b = b->next)
            if (b->enabled && b->kind == BreakBytecode && b->count == bytecodeCount) {
                initStop(&stop, StopBytecode, b);
                stopped = simDebuggerStop(&stop);
            }
        simBreakArm();
    }
    if (skipIP != 0 && instructionPointer - 1 == skipIP && framePointer == skipFP) {
        skipIP = 0;
    } else if (!stopped && runMode != RunContinue && stepDone()) {
        initStop(&stop, StopStep, NULL);
        stop.runMode = runMode;
        simDebuggerStop(&stop);
    }
    simAtBytecodeBoundary = 0;
    armBytecodeHook();
}

void simSendHit(intptr_t selector, intptr_t numArgs, int isSuper)
{
    SimStop stop;
    SimText t = {0};
    SimBreak *b;
    if (simTraceSends) simTraceSend(selector, numArgs);
    if (!anySendBreak || !anySendBreakMatches(selector)) return;
    if (!simBytesOf(selector, &t)) simTextf(&t, "?");
    for (b = breakpoints; b; b = b->next) {
        if (!b->enabled || b->kind != BreakSend || !selectorMatches(b, simTextString(&t))) continue;
        initStop(&stop, StopSend, b);
        stop.selector = selector;
        stop.numArgs = numArgs;
        stop.isSuper = isSuper;
        if (simDebuggerStop(&stop)) break;
    }
    simTextFree(&t);
}

void simMethodHit(intptr_t method, intptr_t primitive)
{
    SimStop stop;
    SimText cls = {0}, sel = {0};
    SimBreak *b;
    if (!anyMethodBreakMatches(method)) return;
    methodNames(method, &cls, &sel);
    for (b = breakpoints; b; b = b->next) {
        if (!b->enabled || b->kind != BreakMethod || !methodMatches(b, simTextString(&cls), simTextString(&sel))) continue;
        initStop(&stop, StopMethod, b);
        stop.method = method;
        stop.primitive = primitive;
        stop.numArgs = methodNumArgs(method);
        stoppedAtActivation = primitive == 0;
        if (simDebuggerStop(&stop)) {
            stoppedAtActivation = 0;
            break;
        }
        stoppedAtActivation = 0;
    }
    simTextFree(&cls);
    simTextFree(&sel);
}

/* ---- collections: breakpoints before them; watched objects followed through them ---- */
void simNoteGCStart(int full)
{
    SimStop stop;
    SimBreak *b;
    if (simGCDepth++ > 0) return;   /* a full collection's own scavenge */
    compactionRan = 0;
    stepFrame.valid = runMode != RunContinue && stepFrame.page != 0 && stepFrameHolds();
    for (b = breakpoints; b; b = b->next) {
        b->young = b->kind == WatchSlot && !isOldHeapObject(b->object);   /* moved or gone after a scavenge */
        b->moved = 0;
    }
    for (b = breakpoints; b; b = b->next) {
        if (!b->enabled || b->kind != BreakGC || (b->gcKind == GCScavenge && full) || (b->gcKind == GCFull && !full)) continue;
        initStop(&stop, StopGC, b);
        stop.gcFull = full;
        if (simDebuggerStop(&stop)) break;
    }
}

/* a --watch on an address where no object was yet: armed when one is allocated there */
void simNewObjectHit(intptr_t oop)
{
    SimBreak *b;
    for (b = breakpoints; b; b = b->next)
        if (b->pending && b->object == oop && simGCDepth == 0) {
            b->pending = 0;
            b->enabled = 1;
            simBreakArm();
        }
}

void simMovedHit(intptr_t from, intptr_t to)
{
    SimBreak *b;
    if (from >= oldSpaceStart && from < oldSpaceLimit) compactionRan = 1;
    for (b = breakpoints; b; b = b->next)
        if (b->kind == WatchSlot && b->object == from) {
            b->object = to;
            b->moved = 1;
        }
}

void simNoteGCEnd(int full)
{
    SimBreak *b, *next;
    if (--simGCDepth > 0) return;
    for (b = breakpoints; b; b = next) {
        next = b->next;
        if (b->kind != WatchSlot || b->moved) continue;
        if (b->young || (full && (compactionRan || !simIsObjectStart(b->object)))) {
            fprintf(stderr, "talc-sim: watchpoint %d deleted: its object was collected\n", b->id);
            simBreakDelete(b->id);
        }
    }
    if (stepFrame.valid && !isFreePage(stepFrame.page)) {
        /* the collector moved the methods and contexts the frame names */
        stepFrame.method = frameMethod(stepFrame.fp);
        stepFrame.callerSaved = frameCallerSavedIP(stepFrame.fp);
        stepFrame.callerFP = frameCallerFP(stepFrame.fp);
    }
    simBreakArm();
    simDebuggerGCDone();
}

/* ---- stores ---- */
/* the spec functions on the C stack that led to the store, innermost first, down to the
 * bytecode routine (names need -rdynamic; a function that tail-called the next is not there) */
static void storeCallers(char *out, size_t size)
{
    void *frames[16];
    int n = backtrace(frames, 16), i, shown = 0, inInterpreter = 0;
    char **names = backtrace_symbols(frames, n);
    const char *routine = simGCDepth == 0 ? simBytecodeRoutineName(currentBytecode) : NULL;
    out[0] = '\0';
    for (i = 0; names && i < n && shown < 6; i++) {
        char *open = strchr(names[i], '('), *plus = open ? strchr(open, '+') : NULL;
        if (!open || !plus || plus == open + 1) continue;
        *plus = '\0';
        if (!strcmp(open + 1, "interpret") || !strcmp(open + 1, "main")) { inInterpreter = !strcmp(open + 1, "interpret"); break; }
        if (!strncmp(open + 1, "sim", 3) || !strcmp(open + 1, "hookThenDispatch") || !strcmp(open + 1, "dispatch")) continue;
        if (routine && !strcmp(open + 1, routine)) routine = NULL;
        snprintf(out + strlen(out), size - strlen(out), "%s%s", shown ? " < " : "", open + 1);
        shown++;
    }
    free(names);
    /* the bytecode being run, when the chain above did not reach it */
    if (routine && inInterpreter)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", shown ? " < " : "", routine);
}

static char lastStoreCallers[256];
const char *simStoreCallers(void) { return lastStoreCallers; }

void simStoreHit(intptr_t address, int size, unsigned char *host, uint64_t bits, const char *file, int line)
{
    unsigned char old[8];
    SimBreak *b;
    SimStop stop;
    memcpy(old, host, (size_t)size);
    memcpy(host, &bits, (size_t)size);
    if (address + size <= watchLow || address >= watchHigh) return;
    for (b = breakpoints; b; b = b->next) {
        if (!b->enabled || (b->kind != WatchSlot && b->kind != WatchRange)) continue;
        /* a collector's own writes (forwarding, updated references) are not changes of a slot */
        if (b->kind == WatchSlot && (simGCDepth > 0 || !simWatchSlotAddress(b))) continue;
        if (address + size <= b->address || address >= b->address + b->bytes) continue;
        initStop(&stop, StopWatch, b);
        stop.address = address;
        stop.size = size;
        memcpy(&stop.oldBits, old, (size_t)size);
        stop.newBits = bits;
        stop.file = file;
        stop.line = line;
        if (b->kind == WatchSlot) {
            unsigned char word[8];
            sqInt i;
            stop.newValue = longAt(b->address);
            memcpy(word, &stop.newValue, sizeof word);
            for (i = 0; i < size; i++)
                if (address + i >= b->address && address + i < b->address + BytesPerWord) word[address + i - b->address] = old[i];
            memcpy(&stop.oldValue, word, sizeof word);
            if (BytesPerWord == 4) stop.oldValue &= 0xFFFFFFFF;
        }
        storeCallers(lastStoreCallers, sizeof lastStoreCallers);
        if (simDebuggerStop(&stop)) break;
    }
}
