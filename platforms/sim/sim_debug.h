/* The simulator's debugger, between its files:
 *   sim_print.c   names, printStrings and the walk over frames and contexts (text, no Lua)
 *   sim_break.c   breakpoints, watchpoints, stepping: the hooks decide when the VM stops
 *   sim_lua.c     the Lua state and the talc.* API over the VM
 *   sim_control.c who handles a stop: the script, the prompt; run commands; the options
 *   sim_prompt.c  the prompt's input and its short commands
 * docs/simulator.md is the user's guide. */
#ifndef TALC_SIM_DEBUG_H
#define TALC_SIM_DEBUG_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

/* ---- text (sim_print.c) ---- */
typedef struct {
    char *s;
    size_t n, cap;
} SimText;

void simTextf(SimText *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void simTextBytes(SimText *t, const char *bytes, size_t n);
void simTextFree(SimText *t);
const char *simTextString(SimText *t); /* "" when empty */

int simIsObject(sqInt oop);                 /* an object start in VM memory (not an immediate) */
int simBytesOf(sqInt oop, SimText *t);      /* a byte object's bytes; 0 if it has none */
void simClassName(sqInt cls, SimText *t);   /* "Foo", "Foo class", or "?" */
void simMethodName(sqInt method, SimText *t); /* "Foo>>bar:", "[] in Foo>>bar:" for a CompiledBlock */
void simSelectorOfMethod(sqInt method, SimText *t);
sqInt simMethodClass(sqInt method);         /* the class a method (or its outer method) belongs to, or 0 */
void simPrintOop(sqInt oop, int depth, SimText *t); /* printString-like: 3, $a, #foo, 'bar', #(1 2), a Foo */
void simInstVarName(sqInt cls, sqInt index, SimText *t); /* the name of inst var index (0-based), or "" */

/* a frame or a context of the active process's chain */
typedef struct {
    sqInt fp;           /* the frame, or 0 for a context without one */
    sqInt context;      /* its context, or 0 */
    sqInt method, receiver, closure;
    sqInt pc;           /* Smalltalk pc (1 = the method's first byte after its header), 0 unknown */
    sqInt stackp;       /* arguments, temporaries and stack items, as a context counts them */
    sqInt numArgs, numTemps;
    int isBlock;
} SimFrame;

/* calls fn for each frame and context of the active process, innermost first, until fn answers
 * nonzero or limit frames; answers how many were visited */
int simWalkFrames(int limit, int (*fn)(const SimFrame *f, void *data), void *data);
sqInt simFrameItem(const SimFrame *f, sqInt i); /* 0 <= i < stackp: arguments, temps, then the stack */
void simFrameLine(const SimFrame *f, int verbose, SimText *t);
void simBacktrace(int limit, int verbose, SimText *t);

/* ---- breakpoints and stops (sim_break.c) ---- */
enum { BreakSend, BreakMethod, BreakBytecode, BreakGC, WatchSlot, WatchRange, BreakKinds };
enum { GCAny, GCScavenge, GCFull };

typedef struct SimBreak {
    int id, kind, enabled;
    char *selector;      /* BreakSend (NULL: any selector), BreakMethod */
    char *className;     /* BreakMethod: "Foo" or "Foo class" */
    sqInt count;         /* BreakBytecode: before the count-th bytecode runs */
    int gcKind;          /* BreakGC */
    sqInt object, slot;  /* WatchSlot: slot (0-based) of object, followed when the object moves */
    sqInt address, bytes; /* WatchRange; WatchSlot's current word */
    int condition;       /* a Lua registry reference (sim_control.c), or 0 for none */
    long hits;
    int young, moved;    /* WatchSlot, during a collection: its object was young; it moved */
    int fromOption;      /* a --watch: checked against the image at the first stop */
    int pending;         /* a --watch on an address with no object yet: armed when one is made there */
    struct SimBreak *next;
} SimBreak;

enum { StopStart, StopStep, StopSend, StopMethod, StopBytecode, StopGC, StopWatch, StopExit, StopCheck, StopInterrupt };

typedef struct {
    int reason;
    SimBreak *breakpoint;            /* the breakpoint or watchpoint, if one stopped the VM */
    sqInt selector, numArgs; int isSuper; /* StopSend (the receiver and arguments are on the stack) */
    sqInt method, primitive;         /* StopMethod */
    int gcFull;                      /* StopGC: before this collection */
    sqInt address; int size;         /* StopWatch: the store */
    uint64_t oldBits, newBits;
    sqInt oldValue, newValue;        /* WatchSlot: the slot before and after */
    const char *file; int line;      /* StopWatch: the spec's store */
    int status;                      /* StopExit */
    int runMode;                     /* StopStep: RunStep, RunNext or RunFinish */
    const char *message;             /* StopCheck */
} SimStop;

enum { RunContinue, RunStep, RunNext, RunFinish };

SimBreak *simBreakAdd(int kind);     /* then fill it and call simBreakArm */
void simBreakArm(void);              /* after any change: recompute the hook flags, flush caches */
SimBreak *simBreakFind(int id);
int simBreakDelete(int id);
SimBreak *simBreakList(void);
int simWatchSlotAddress(SimBreak *b); /* 0 if the object has no such slot */
void simSetRunMode(int mode);        /* what the VM does after the current stop */
void simRequestStart(void);          /* stop before the first bytecode */
int simRequestInterrupt(void);       /* stop before the next bytecode (SIGINT); 0 if one is pending already */
const char *simStoreCallers(void);
const char *simBytecodeRoutineName(sqInt index);   /* sim_vm.c: "sistaPushTemporaryVariableBytecode" */   /* at a watchpoint: "storePointer < receiverVariablePut < ..." */
extern int simAtBytecodeBoundary;
extern sqInt simBytecodeIP;          /* sim_vm.c: where the bytecode being run starts */    /* stopped before a bytecode: the innermost frame's pc is that bytecode's */
extern int simGCDepth;

/* ---- the controller (sim_control.c) ---- */
/* a stop: answers 1 if the VM stopped (a breakpoint's condition held), having handed control to
 * the script or the prompt until a run command */
int simDebuggerStop(SimStop *stop);
int simDebuggerEngaged(void);
void simDebuggerFatal(const char *message);  /* a failed check: a last stop, then the run ends */
void simDebuggerDisengage(void);             /* no more stops (the run is being interrupted) */
int simDebuggerOption(int argc, char **argv, int *i); /* a debugger option: consumes it, exits 64 if bad */
void simTraceSend(sqInt selector, sqInt numArgs); /* talc.onSend's function, if any */
extern int simTraceSends;
void simDebuggerGCDone(void);                /* caches that name objects by address are stale */

/* ---- Lua (sim_lua.c) ---- */
typedef struct lua_State lua_State;
extern jmp_buf *simCheckGuard;       /* set: a failed check longjmps here instead of ending the run */
int simGuarded(void (*read)(void *), void *data); /* read(data) under the guard; 0 if a check failed */
void simLuaOpen(lua_State *L);       /* the talc table */
int simLuaError(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void simLuaPushOop(lua_State *L, sqInt oop);
sqInt simLuaCheckOop(lua_State *L, int arg);   /* an Object argument, not stale */
sqInt simLuaCheckSlot(lua_State *L, sqInt oop, int arg); /* a slot: 1-based index or inst var name; answers 0-based */
void simLuaPushStop(lua_State *L, const SimStop *stop);
void simLuaPushFrames(lua_State *L, int limit);
void simStopText(const SimStop *stop, SimText *t);

/* ---- the prompt (sim_prompt.c) ---- */
/* reads a command line (prompt "(talc) " on stdout); 0 at the end of input. The line is turned
 * into Lua: short commands (c, s, n, f, bt, ...) expanded, an expression printed */
int simPromptRead(SimText *lua);
extern const char simPromptHelp[];

#endif
