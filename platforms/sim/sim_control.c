/* Who handles a stop. The script (--script) runs as a Lua coroutine from the first bytecode on:
 * talc.continue(), step(), next() and finish() yield to the VM, and the next stop resumes the
 * script with its description. When no script is waiting, the prompt (--interactive, or any stop
 * a breakpoint makes) reads command lines from stdin, each one run as a coroutine the same way.
 * Breakpoint conditions and trace functions run in the main Lua state and may not run the VM.
 * Also here: the debugger's command-line options, and the talc.* functions that set
 * breakpoints, watchpoints and trace functions and run the VM. */
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_debug.h"
#include "gc_copy.h"
#include "../platform_internal.h"

static lua_State *L;
static lua_State *controller;     /* the coroutine in control: the script or a prompt line */
static int controllerRef = LUA_NOREF, controllerIsScript;
static int stopRef = LUA_NOREF;   /* the current stop's table (talc.where()) */
static int traceSendRef = LUA_NOREF, nameCacheRef = LUA_NOREF;
int simTraceSends;
static int engaged, interactive, promptClosed, scriptFailed, exited, exitStatus, fatal, inStop;
static SimBreak *lastOptionBreak;  /* the breakpoint --break-if applies to */
/* a collection's copy of the heap (gc_copy.c) is a forked process: it never stops, never runs Lua */
static pid_t debuggerPid;

int simDebuggerEngaged(void) { return engaged; }
static void armOptionWatches(void);

static const char *const reasonNames[] = {"start", "step", "send", "method", "bytecode", "gc", "watch", "exit", "check", "interrupt"};
static const char *reasonName(const SimStop *s)
{
    if (s->reason == StopStep) return s->runMode == RunNext ? "next" : s->runMode == RunFinish ? "finish" : "step";
    return reasonNames[s->reason];
}

static const char *const kindNames[] = {"send", "method", "bytecode", "gc", "watch", "watch range"};

/* ---- describing a stop ---- */
typedef struct {
    const SimStop *stop;
    SimText description, where;
    sqInt receiver, args[16];
    int numArgs, hasReceiver;
} StopRead;

/* the receiver and arguments of a send or of a method being entered */
static void readActivation(StopRead *r)
{
    const SimStop *s = r->stop;
    sqInt i, n = s->numArgs < 16 ? s->numArgs : 16;
    if (s->reason == StopSend || (s->reason == StopMethod && s->primitive > 0)) {
        r->receiver = stackValue(s->numArgs);
        for (i = 0; i < n; i++) r->args[i] = stackValue(s->numArgs - 1 - i);
    } else if (s->reason == StopMethod) {
        r->receiver = frameReceiver(framePointer);
        for (i = 0; i < n; i++) r->args[i] = temporary(i, framePointer);
    } else {
        return;
    }
    r->numArgs = (int)n;
    r->hasReceiver = 1;
}

static int whereLine(const SimFrame *f, void *data)
{
    SimText *t = data;
    if (f->isBlock) simTextf(t, "[] in ");
    simMethodName(f->method, t);
    simTextf(t, " pc %ld", (long)f->pc);
    return 1;
}

static void printArgs(StopRead *r, SimText *t)
{
    int i;
    if (r->numArgs == 0) return;
    simTextf(t, ", args (");
    for (i = 0; i < r->numArgs; i++) {
        if (i) simTextf(t, ", ");
        simPrintOop(r->args[i], 1, t);
    }
    simTextf(t, ")");
}

static void readStop(void *data)
{
    StopRead *r = data;
    const SimStop *s = r->stop;
    SimText *t = &r->description;
    readActivation(r);
    simWalkFrames(1, whereLine, &r->where);
    if (s->breakpoint) simTextf(t, "%s %d: ", s->breakpoint->kind >= WatchSlot ? "watchpoint" : "breakpoint", s->breakpoint->id);
    switch (s->reason) {
    case StopStart: simTextf(t, "before the first bytecode"); break;
    case StopStep: simTextf(t, "%s", reasonName(s)); break;
    case StopInterrupt: simTextf(t, "interrupted"); break;
    case StopSend:
        simTextf(t, "%ssend ", s->isSuper ? "super " : "");
        simPrintOop(s->selector, 0, t);
        simTextf(t, " to ");
        simPrintOop(r->receiver, 1, t);
        printArgs(r, t);
        break;
    case StopMethod:
        simTextf(t, "entering ");
        simMethodName(s->method, t);
        simTextf(t, ", self ");
        simPrintOop(r->receiver, 1, t);
        printArgs(r, t);
        if (s->primitive > 0) simTextf(t, " (before its primitive %ld)", (long)s->primitive);
        break;
    case StopBytecode: simTextf(t, "bytecode %ld", (long)bytecodeCount); break;
    case StopGC: simTextf(t, "before a %s (%ld scavenges, %ld full so far)", s->gcFull ? "full collection" : "scavenge", (long)scavengeCount, (long)fullGCCount); break;
    case StopWatch:
        if (s->breakpoint->kind == WatchSlot) {
            SimText name = {0};
            simInstVarName(fetchClassOf(s->breakpoint->object), s->breakpoint->slot, &name);
            simTextf(t, "slot %ld%s%s%s of ", (long)s->breakpoint->slot + 1, name.n ? " (" : "", simTextString(&name), name.n ? ")" : "");
            simTextFree(&name);
            simPrintOop(s->breakpoint->object, 0, t);
            simTextf(t, " written: ");
            simPrintOop(s->oldValue, 1, t);
            simTextf(t, " -> ");
            simPrintOop(s->newValue, 1, t);
        } else {
            simTextf(t, "%d bytes at 0x%lx written: 0x%llx -> 0x%llx", s->size, (unsigned long)s->address,
                     (unsigned long long)s->oldBits, (unsigned long long)s->newBits);
        }
        simTextf(t, " at %s:%d", s->file, s->line);
        if (simStoreCallers()[0]) simTextf(t, " (%s)", simStoreCallers());
        break;
    case StopExit: simTextf(t, "the image quit with status %d", s->status); break;
    case StopCheck: simTextf(t, "check failed: %s", s->message); break;
    default: break;
    }
    if (r->where.n && s->reason != StopExit) simTextf(t, ", in %s", simTextString(&r->where));
}

void simStopText(const SimStop *stop, SimText *t)
{
    StopRead r;
    memset(&r, 0, sizeof r);
    r.stop = stop;
    if (!simGuarded(readStop, &r)) simTextf(&r.description, " (cut short: %s)", simCheckMessage);
    simTextBytes(t, r.description.s ? r.description.s : "", r.description.n);
    simTextFree(&r.description);
    simTextFree(&r.where);
}

/* the stop's table: reason, id, description and what the reason has */
static int pushStopTable(lua_State *S)
{
    const SimStop *s = lua_touserdata(S, 1);
    StopRead r;
    int i;
    memset(&r, 0, sizeof r);
    r.stop = s;
    if (!simGuarded(readStop, &r)) simTextf(&r.description, " (cut short: %s)", simCheckMessage);
    lua_createtable(S, 0, 16);
    lua_pushstring(S, reasonName(s));
    lua_setfield(S, -2, "reason");
    lua_pushstring(S, simTextString(&r.description));
    lua_setfield(S, -2, "description");
    lua_pushinteger(S, (lua_Integer)bytecodeCount);
    lua_setfield(S, -2, "bytecodes");
    if (r.where.n) {
        lua_pushstring(S, simTextString(&r.where));
        lua_setfield(S, -2, "where");
    }
    if (s->breakpoint) {
        lua_pushinteger(S, s->breakpoint->id);
        lua_setfield(S, -2, "id");
    }
    if (r.hasReceiver) {
        simLuaPushOop(S, r.receiver);
        lua_setfield(S, -2, "receiver");
        lua_createtable(S, r.numArgs, 0);
        for (i = 0; i < r.numArgs; i++) {
            simLuaPushOop(S, r.args[i]);
            lua_rawseti(S, -2, i + 1);
        }
        lua_setfield(S, -2, "args");
    }
    switch (s->reason) {
    case StopSend:
        simLuaPushOop(S, s->selector);
        lua_setfield(S, -2, "selector");
        lua_pushboolean(S, s->isSuper);
        lua_setfield(S, -2, "super");
        break;
    case StopMethod:
        simLuaPushOop(S, s->method);
        lua_setfield(S, -2, "method");
        lua_pushinteger(S, (lua_Integer)s->primitive);
        lua_setfield(S, -2, "primitive");
        break;
    case StopGC:
        lua_pushstring(S, s->gcFull ? "full" : "scavenge");
        lua_setfield(S, -2, "gc");
        break;
    case StopWatch:
        lua_pushinteger(S, (lua_Integer)s->address);
        lua_setfield(S, -2, "address");
        lua_pushinteger(S, s->size);
        lua_setfield(S, -2, "size");
        lua_pushstring(S, s->file);
        lua_setfield(S, -2, "file");
        lua_pushinteger(S, s->line);
        lua_setfield(S, -2, "line");
        lua_pushstring(S, simStoreCallers());
        lua_setfield(S, -2, "callers");
        if (s->breakpoint->kind == WatchSlot) {
            simLuaPushOop(S, s->breakpoint->object);
            lua_setfield(S, -2, "object");
            lua_pushinteger(S, (lua_Integer)s->breakpoint->slot + 1);
            lua_setfield(S, -2, "slot");
            simLuaPushOop(S, s->oldValue);
            lua_setfield(S, -2, "old");
            simLuaPushOop(S, s->newValue);
            lua_setfield(S, -2, "new");
        } else {
            lua_pushinteger(S, (lua_Integer)s->oldBits);
            lua_setfield(S, -2, "old");
            lua_pushinteger(S, (lua_Integer)s->newBits);
            lua_setfield(S, -2, "new");
        }
        break;
    case StopExit:
        lua_pushinteger(S, s->status);
        lua_setfield(S, -2, "status");
        break;
    case StopCheck:
        lua_pushstring(S, s->message);
        lua_setfield(S, -2, "message");
        break;
    default: break;
    }
    luaL_setmetatable(S, "talc.Stop");
    simTextFree(&r.description);
    simTextFree(&r.where);
    return 1;
}

static int stopToString(lua_State *S)
{
    lua_getfield(S, 1, "description");
    return 1;
}

/* ---- errors ---- */
static void reportError(lua_State *thread, const char *what)
{
    const char *msg = lua_tostring(thread, -1);
    fflush(stdout);
    luaL_traceback(L, thread, msg ? msg : "(error object is not a string)", 0);
    fprintf(stderr, "talc-sim: %s: %s\n", what, lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_pop(thread, 1);
}

/* ---- the controller ---- */
static void endController(void)
{
    luaL_unref(L, LUA_REGISTRYINDEX, controllerRef);
    controllerRef = LUA_NOREF;
    controller = NULL;
    controllerIsScript = 0;
}

/* a new coroutine in control, running the function on top of L's stack */
static void startController(int isScript)
{
    lua_State *thread = lua_newthread(L);
    controllerRef = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_xmove(L, thread, 1);
    controller = thread;
    controllerIsScript = isScript;
}

static int wantPrompt(const SimStop *s)
{
    if (promptClosed) return 0;
    return interactive || (s->reason != StopStart && s->reason != StopExit);
}

static void printStopLine(void)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, stopRef);
    lua_getfield(L, -1, "description");
    printf("stopped: %s\n", lua_tostring(L, -1));
    lua_pop(L, 2);
    fflush(stdout);
}

static void controlLoop(const SimStop *stop)
{
    int shown = 0;
    for (;;) {
        if (controller) {
            int nres, status;
            lua_rawgeti(L, LUA_REGISTRYINDEX, stopRef);
            lua_xmove(L, controller, 1);
            status = lua_resume(controller, L, 1, &nres);
            fflush(stdout);
            if (status == LUA_YIELD) {
                int mode = (int)lua_tointeger(controller, -1);
                lua_pop(controller, nres);
                simSetRunMode(mode);
                return;
            }
            if (status == LUA_OK) lua_pop(controller, nres);
            else {
                reportError(controller, controllerIsScript ? "script error" : "error");
                if (controllerIsScript) scriptFailed = 1;
            }
            endController();
            continue;
        }
        if (wantPrompt(stop)) {
            SimText line = {0};
            if (!shown) printStopLine();
            shown = 1;
            if (!simPromptRead(&line)) {
                promptClosed = 1;
                simTextFree(&line);
                return;
            }
            if (luaL_loadbuffer(L, simTextString(&line), line.n, "=prompt") != LUA_OK) {
                printf("%s\n", lua_tostring(L, -1));
                lua_pop(L, 1);
            } else {
                startController(0);
            }
            simTextFree(&line);
            continue;
        }
        if (!shown && stop->breakpoint) printStopLine();
        return;
    }
}

static int callStopTable(lua_State *S)
{
    lua_pushcfunction(S, pushStopTable);
    lua_insert(S, 1);
    lua_call(S, 1, 1);
    return 1;
}

int simDebuggerStop(SimStop *stop)
{
    if (!L || inStop || getpid() != debuggerPid) return 0;
    inStop = 1;
    /* the stop's table, built in protected mode (reading the VM may fail) */
    lua_pushcfunction(L, callStopTable);
    lua_pushlightuserdata(L, stop);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fprintf(stderr, "talc-sim: cannot describe the stop: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_createtable(L, 0, 2);
        lua_pushstring(L, reasonNames[stop->reason]);
        lua_setfield(L, -2, "reason");
        lua_pushstring(L, reasonNames[stop->reason]);
        lua_setfield(L, -2, "description");
    }
    if (stop->breakpoint && stop->breakpoint->condition) {
        int holds = 1;
        lua_rawgeti(L, LUA_REGISTRYINDEX, stop->breakpoint->condition);
        lua_pushvalue(L, -2);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            fprintf(stderr, "talc-sim: breakpoint %d: error in its condition (stopping): %s\n", stop->breakpoint->id, lua_tostring(L, -1));
        } else {
            holds = lua_toboolean(L, -1);
        }
        lua_pop(L, 1);
        if (!holds) {
            lua_pop(L, 1);
            inStop = 0;
            return 0;
        }
    }
    if (stop->breakpoint) stop->breakpoint->hits++;
    if (stop->reason == StopStart) armOptionWatches();
    luaL_unref(L, LUA_REGISTRYINDEX, stopRef);
    stopRef = luaL_ref(L, LUA_REGISTRYINDEX);
    simSetRunMode(RunContinue);
    controlLoop(stop);
    fflush(stdout);
    inStop = 0;
    return 1;
}

/* a collection failed on its copy of the heap (gc_copy.c reported it): a last stop */
void simStopOnFailedGC(void)
{
    simDebuggerFatal("a collection failed on a copy of the heap (the report above); the heap is as it was before it");
}

void simDebuggerFatal(const char *message)
{
    SimStop stop;
    if (!engaged || !L || inStop) return;
    fatal = 1;
    memset(&stop, 0, sizeof stop);
    stop.reason = StopCheck;
    stop.message = message;
    simDebuggerStop(&stop);
}

int platformSimExit(int status)
{
    SimStop stop;
    if (!engaged || !L) return status;
    exited = 1;
    exitStatus = status;
    memset(&stop, 0, sizeof stop);
    stop.reason = StopExit;
    stop.status = status;
    simDebuggerStop(&stop);
    return scriptFailed && status == 0 ? 1 : status;
}

/* ---- run commands: only the controller may run the VM ---- */
static int runCommand(lua_State *T, int mode, const char *name)
{
    if (T != controller) return luaL_error(T, "talc.%s: only a script or the prompt may run the VM, not a condition or a trace function", name);
    if (fatal) return luaL_error(T, "talc.%s: the VM cannot run on after a failed check (talc.quit() ends the run)", name);
    if (exited) return luaL_error(T, "talc.%s: the image has quit (status %d)", name, exitStatus);
    lua_settop(T, 0);
    lua_pushinteger(T, mode);
    return lua_yield(T, 1);
}

static int luaContinue(lua_State *T) { return runCommand(T, RunContinue, "continue"); }
static int luaStep(lua_State *T) { return runCommand(T, RunStep, "step"); }
static int luaNext(lua_State *T) { return runCommand(T, RunNext, "next"); }
static int luaFinish(lua_State *T) { return runCommand(T, RunFinish, "finish"); }

static int luaQuit(lua_State *T)
{
    int status = (int)luaL_optinteger(T, 1, fatal ? 70 : exited ? exitStatus : 0);
    fflush(stdout);
    platformExit(status);
}

static int luaWhere(lua_State *T)
{
    lua_rawgeti(T, LUA_REGISTRYINDEX, stopRef);
    return 1;
}

/* ---- breakpoints from Lua ---- */
/* a condition: a function, or a Lua expression over `hit` (the stop); a registry reference or 0 */
static int conditionRef(lua_State *T, int arg)
{
    if (lua_isnoneornil(T, arg)) return 0;
    if (lua_type(T, arg) == LUA_TSTRING) {
        lua_pushfstring(T, "local hit = ... return (%s)", lua_tostring(T, arg));
        if (luaL_loadbuffer(T, lua_tostring(T, -1), lua_rawlen(T, -1), "=condition") != LUA_OK) return lua_error(T);
        lua_remove(T, -2);
    } else {
        luaL_checktype(T, arg, LUA_TFUNCTION);
        lua_pushvalue(T, arg);
    }
    return luaL_ref(T, LUA_REGISTRYINDEX);
}

static int addBreak(lua_State *T, SimBreak *b, int condArg)
{
    b->condition = conditionRef(T, condArg);
    simBreakArm();
    lua_pushinteger(T, b->id);
    return 1;
}

/* "Foo>>bar:" or "Foo class>>bar:" into a method breakpoint; 0 if malformed */
static int parseMethodName(SimBreak *b, const char *spec)
{
    const char *sep = strstr(spec, ">>");
    if (!sep || sep == spec || !sep[2] || strstr(sep + 2, ">>")) return 0;
    b->className = strndup(spec, (size_t)(sep - spec));
    b->selector = strdup(sep + 2);
    return b->className && b->selector;
}

static int luaBreakSend(lua_State *T)
{
    const char *sel = luaL_optstring(T, 1, NULL);
    SimBreak *b;
    if (sel && !*sel) return luaL_error(T, "talc.breakSend: empty selector (nil breaks on every send)");
    b = simBreakAdd(BreakSend);
    b->selector = sel ? strdup(sel) : NULL;
    return addBreak(T, b, 2);
}

static int luaBreakMethod(lua_State *T)
{
    const char *spec = luaL_checkstring(T, 1);
    SimBreak probe = {0};
    SimBreak *b;
    if (!parseMethodName(&probe, spec)) {
        free(probe.className);
        free(probe.selector);
        return luaL_error(T, "talc.breakMethod: '%s' is not Class>>selector or Class class>>selector", spec);
    }
    b = simBreakAdd(BreakMethod);
    b->className = probe.className;
    b->selector = probe.selector;
    return addBreak(T, b, 2);
}

static int luaBreakBytecode(lua_State *T)
{
    lua_Integer n = luaL_checkinteger(T, 1);
    SimBreak *b;
    if (n < 1) return luaL_error(T, "talc.breakBytecode: a count from 1");
    b = simBreakAdd(BreakBytecode);
    b->count = (sqInt)n;
    return addBreak(T, b, 2);
}

static int gcKindNamed(const char *kind)
{
    if (!kind || !strcmp(kind, "any")) return GCAny;
    if (!strcmp(kind, "scavenge")) return GCScavenge;
    if (!strcmp(kind, "full")) return GCFull;
    return -1;
}

static int luaBreakGC(lua_State *T)
{
    const char *kind = luaL_optstring(T, 1, NULL);
    int k = gcKindNamed(kind);
    SimBreak *b;
    if (k < 0) return luaL_error(T, "talc.breakGC: '%s' is not any, scavenge or full", kind);
    b = simBreakAdd(BreakGC);
    b->gcKind = k;
    return addBreak(T, b, 2);
}

static int luaWatch(lua_State *T)
{
    sqInt oop = simLuaCheckOop(T, 1), slot;
    SimBreak *b;
    if (!simIsObject(oop) || !isPointersNonImm(oop)) return luaL_error(T, "talc.watch: not a pointer object in the heap");
    slot = simLuaCheckSlot(T, oop, 2);
    b = simBreakAdd(WatchSlot);
    b->object = oop;
    b->slot = slot;
    return addBreak(T, b, 3);
}

static int luaWatchRange(lua_State *T)
{
    lua_Integer a = luaL_checkinteger(T, 1), n = luaL_checkinteger(T, 2);
    SimBreak *b;
    if (n < 1 || !simIsMemory((sqInt)a, (sqInt)n)) return simLuaError(T, "talc.watchRange: %lld bytes at 0x%llx are not all in VM memory", (long long)n, (long long)a);
    b = simBreakAdd(WatchRange);
    b->address = (sqInt)a;
    b->bytes = (sqInt)n;
    return addBreak(T, b, 3);
}

static SimBreak *checkBreak(lua_State *T, int arg)
{
    lua_Integer id = luaL_checkinteger(T, arg);
    SimBreak *b = simBreakFind((int)id);
    if (!b) luaL_error(T, "no breakpoint %I", id);
    return b;
}

static int luaDelete(lua_State *T)
{
    SimBreak *b = checkBreak(T, 1);
    if (b->condition) luaL_unref(T, LUA_REGISTRYINDEX, b->condition);
    simBreakDelete(b->id);
    return 0;
}

static int setEnabled(lua_State *T, int on)
{
    checkBreak(T, 1)->enabled = on;
    simBreakArm();
    return 0;
}

static int luaEnable(lua_State *T) { return setEnabled(T, 1); }
static int luaDisable(lua_State *T) { return setEnabled(T, 0); }

static void breakText(SimBreak *b, SimText *t)
{
    switch (b->kind) {
    case BreakSend: simTextf(t, "send %s%s", b->selector ? "#" : "", b->selector ? b->selector : "(any selector)"); break;
    case BreakMethod: simTextf(t, "method %s>>%s", b->className, b->selector); break;
    case BreakBytecode: simTextf(t, "bytecode %ld", (long)b->count); break;
    case BreakGC: simTextf(t, "gc (%s)", b->gcKind == GCScavenge ? "scavenge" : b->gcKind == GCFull ? "full" : "any"); break;
    case WatchSlot: simTextf(t, "watch slot %ld of 0x%lx", (long)b->slot + 1, (unsigned long)b->object); break;
    case WatchRange: simTextf(t, "watch %ld bytes at 0x%lx", (long)b->bytes, (unsigned long)b->address); break;
    default: break;
    }
    if (b->condition) simTextf(t, " if condition");
}

static int luaBreakpoints(lua_State *T)
{
    SimBreak *b;
    int i = 0;
    lua_newtable(T);
    for (b = simBreakList(); b; b = b->next) {
        SimText t = {0};
        breakText(b, &t);
        lua_createtable(T, 0, 5);
        lua_pushinteger(T, b->id);
        lua_setfield(T, -2, "id");
        lua_pushstring(T, kindNames[b->kind]);
        lua_setfield(T, -2, "kind");
        lua_pushstring(T, simTextString(&t));
        lua_setfield(T, -2, "description");
        lua_pushboolean(T, b->enabled);
        lua_setfield(T, -2, "enabled");
        lua_pushinteger(T, b->hits);
        lua_setfield(T, -2, "hits");
        lua_rawseti(T, -2, ++i);
        simTextFree(&t);
    }
    return 1;
}

/* ---- trace functions: called at every send, they never stop the VM ---- */
static int luaOnSend(lua_State *T)
{
    luaL_unref(T, LUA_REGISTRYINDEX, traceSendRef);
    traceSendRef = LUA_NOREF;
    if (!lua_isnoneornil(T, 1)) {
        luaL_checktype(T, 1, LUA_TFUNCTION);
        lua_pushvalue(T, 1);
        traceSendRef = luaL_ref(T, LUA_REGISTRYINDEX);
    }
    simTraceSends = traceSendRef != LUA_NOREF;
    simBreakArm();
    return 0;
}

typedef struct {
    sqInt oop;
    int site;
    SimText t;
} NameRead;

/* a send site's method: "Foo>>bar", a CompiledBlock "[]N in Foo>>bar" by its literal index in its outer code */
static void readName(void *data)
{
    NameRead *r = data;
    if (!r->site) {
        if (!simBytesOf(r->oop, &r->t)) simTextf(&r->t, "?");
        return;
    }
    if (simIsObject(r->oop) && isCompiledMethod(r->oop) && methodNumLiterals(r->oop) > 0) {
        sqInt outer = literal(methodNumLiterals(r->oop) - 1, r->oop), i;
        if (simIsObject(outer) && isCompiledMethod(outer)) {
            for (i = 0; i < methodNumLiterals(outer); i++)
                if (literal(i, outer) == r->oop) break;
            simTextf(&r->t, "[]%ld in ", (long)i + 1);
            simMethodName(outer, &r->t);
            return;
        }
    }
    simMethodName(r->oop, &r->t);
}

/* a selector's text or a method's name as a Lua string, cached by oop until the next collection */
static void pushName(sqInt oop, int site)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, nameCacheRef);
    if (lua_rawgeti(L, -1, (lua_Integer)(oop * 2 + site)) != LUA_TSTRING) {
        NameRead r = {0};
        lua_pop(L, 1);
        r.oop = oop;
        r.site = site;
        if (!simGuarded(readName, &r)) { simTextFree(&r.t); simTextf(&r.t, "?"); }
        lua_pushlstring(L, simTextString(&r.t), r.t.n);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, (lua_Integer)(oop * 2 + site));
        simTextFree(&r.t);
    }
    lua_remove(L, -2);
}

void simTraceSend(sqInt selector, sqInt numArgs)
{
    if (inStop || getpid() != debuggerPid) return;
    inStop = 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, traceSendRef);
    pushName(selector, 0);
    lua_pushinteger(L, (lua_Integer)classTagOf(stackValue(numArgs)));
    pushName(method, 1);
    lua_pushinteger(L, (lua_Integer)(simBytecodeIP - (method + BaseHeaderSize) + 1));   /* the send bytecode */
    if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
        fprintf(stderr, "talc-sim: error in the talc.onSend function (removed): %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        luaL_unref(L, LUA_REGISTRYINDEX, traceSendRef);
        traceSendRef = LUA_NOREF;
        simTraceSends = 0;
        simBreakArm();
    }
    inStop = 0;
}

void simDebuggerGCDone(void)
{
    if (!L) return;
    luaL_unref(L, LUA_REGISTRYINDEX, nameCacheRef);
    lua_newtable(L);
    nameCacheRef = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* ---- the Lua state ---- */
static const luaL_Reg controlFunctions[] = {
    {"continue", luaContinue}, {"step", luaStep}, {"next", luaNext}, {"finish", luaFinish}, {"quit", luaQuit},
    {"where", luaWhere}, {"breakSend", luaBreakSend}, {"breakMethod", luaBreakMethod},
    {"breakBytecode", luaBreakBytecode}, {"breakGC", luaBreakGC}, {"watch", luaWatch},
    {"watchRange", luaWatchRange}, {"delete", luaDelete}, {"enable", luaEnable}, {"disable", luaDisable},
    {"breakpoints", luaBreakpoints}, {"onSend", luaOnSend}, {NULL, NULL}};

/* helpers written in Lua: talc.show (the prompt's printer) and talc.slotIndex */
static const char luaHelpers[] =
    "local talc = ...\n"
    "local function show(v, depth, nested)\n"
    "  depth = depth or 2\n"
    "  if type(v) == 'string' then return nested and string.format('%q', v) or v end\n"
    "  if type(v) ~= 'table' then return tostring(v) end\n"
    "  local mt = getmetatable(v)\n"
    "  if mt and mt.__tostring then return tostring(v) end\n"
    "  if depth <= 0 then return '{...}' end\n"
    "  local parts, n, keys = {}, #v, {}\n"
    "  for i = 1, n do parts[#parts + 1] = show(v[i], depth - 1, true) end\n"
    "  for k in pairs(v) do\n"
    "    if not (math.type(k) == 'integer' and k >= 1 and k <= n) then keys[#keys + 1] = k end\n"
    "  end\n"
    "  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)\n"
    "  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. ' = ' .. show(v[k], depth - 1, true) end\n"
    "  return '{' .. table.concat(parts, ', ') .. '}'\n"
    "end\n"
    "talc.show = show\n";

static void openLua(void)
{
    if (L) return;
    L = luaL_newstate();
    if (!L) { fputs("talc-sim: cannot create the Lua state\n", stderr); exit(70); }
    debuggerPid = getpid();
    luaL_openlibs(L);
    luaL_newmetatable(L, "talc.Stop");
    lua_pushcfunction(L, stopToString);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    simLuaOpen(L);
    luaL_setfuncs(L, controlFunctions, 0);
    lua_pushstring(L, simPromptHelp);
    lua_setfield(L, -2, "help");
    lua_pushvalue(L, -1);
    lua_setglobal(L, "talc");
    if (luaL_loadbuffer(L, luaHelpers, sizeof luaHelpers - 1, "=talc") != LUA_OK) { fprintf(stderr, "talc-sim: %s\n", lua_tostring(L, -1)); exit(70); }
    lua_insert(L, -2);
    lua_call(L, 1, 0);
    lua_newtable(L);
    nameCacheRef = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* ---- options ---- */
static int conditionRefOption(lua_State *T)
{
    lua_pushinteger(T, conditionRef(T, 1));
    return 1;
}

/* --watch and --watch-range name addresses in the loaded image: checked at the first stop */
static void armOptionWatches(void)
{
    SimBreak *b;
    for (b = simBreakList(); b; b = b->next) {
        if (!b->fromOption) continue;
        b->fromOption = 0;
        if (b->kind == WatchSlot && !simIsObject(b->object) && simIsMemory(b->object, BaseHeaderSize) && (b->object & 7) == 0) {
            b->pending = 1;   /* no object there yet: armed when one is allocated there */
            continue;
        }
        if (b->kind == WatchSlot && !(simIsObject(b->object) && isPointersNonImm(b->object) && b->slot < numSlotsOf(b->object))) {
            fprintf(stderr, "talc-sim: --watch 0x%lx:%ld: %s\n", (unsigned long)b->object, (long)b->slot + 1,
                    simIsObject(b->object) && isPointersNonImm(b->object) ? "the object has fewer slots" : "not the address of an object (8-byte aligned, in VM memory)");
            exit(64);
        }
        if (b->kind == WatchRange && !simIsMemory(b->address, b->bytes)) {
            fprintf(stderr, "talc-sim: --watch-range 0x%lx:%ld: not in VM memory\n", (unsigned long)b->address, (long)b->bytes);
            exit(64);
        }
        b->enabled = 1;
    }
    simBreakArm();
}

static void engage(void)
{
    openLua();
    if (!engaged) simRequestStart();
    engaged = 1;
}

static _Noreturn void usageError(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "talc-sim: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(64);
}

/* --watch OOP:SLOT and --watch-range ADDRESS:BYTES, checked against the image at the first stop */
static SimBreak *parseWatch(const char *opt, const char *arg, int range)
{
    char *colon, *end;
    long long a, n;
    SimBreak *b;
    errno = 0;
    a = strtoll(arg, &colon, 0);
    if (colon == arg || *colon != ':' || errno) usageError("%s '%s': expected ADDRESS:N (e.g. 0x10203040:2)", opt, arg);
    n = strtoll(colon + 1, &end, 0);
    if (end == colon + 1 || *end || n < 1) usageError("%s '%s': expected ADDRESS:N with N a positive number", opt, arg);
    b = simBreakAdd(range ? WatchRange : WatchSlot);
    if (range) {
        b->address = (sqInt)a;
        b->bytes = (sqInt)n;
    } else {
        b->object = (sqInt)a;
        b->slot = (sqInt)n - 1;
    }
    b->enabled = 0;   /* armed at the first stop, once the image is there to check it against */
    b->fromOption = 1;
    return b;
}

int simDebuggerOption(int argc, char **argv, int *i)
{
    const char *opt = argv[*i], *arg;
    SimBreak *b = NULL;
    if (!strcmp(opt, "--interactive")) {
        engage();
        interactive = 1;
        return 1;
    }
    if (!strcmp(opt, "--script")) {
        arg = platformOptionArgument(argc, argv, i, opt, "needs a Lua file");
        engage();
        if (controller) usageError("%s %s: only one script", opt, arg);
        /* require finds modules beside the script first */
        lua_getglobal(L, "package");
        lua_pushfstring(L, "%s/?.lua;", strrchr(arg, '/') ? "" : ".");
        if (strrchr(arg, '/')) {
            lua_pop(L, 1);
            lua_pushlstring(L, arg, (size_t)(strrchr(arg, '/') - arg));
            lua_pushstring(L, "/?.lua;");
            lua_concat(L, 2);
        }
        lua_getfield(L, -2, "path");
        lua_concat(L, 2);
        lua_setfield(L, -2, "path");
        lua_pop(L, 1);
        lua_getglobal(L, "talc");
        lua_pushstring(L, arg);
        lua_setfield(L, -2, "script");
        lua_pop(L, 1);
        if (luaL_loadfile(L, arg) != LUA_OK) {
            fprintf(stderr, "talc-sim: --script: %s\n", lua_tostring(L, -1));
            exit(64);
        }
        startController(1);
        return 1;
    }
    if (!strcmp(opt, "--break-send")) {
        arg = platformOptionArgument(argc, argv, i, opt, "needs a selector");
        if (!*arg) usageError("%s: an empty selector%s", opt, "");
        engage();
        b = simBreakAdd(BreakSend);
        b->selector = strdup(arg);
    } else if (!strcmp(opt, "--break-method")) {
        SimBreak probe = {0};
        arg = platformOptionArgument(argc, argv, i, opt, "needs a method (Class>>selector or 'Class class>>selector')");
        if (!parseMethodName(&probe, arg)) usageError("%s '%s': expected Class>>selector or 'Class class>>selector'", opt, arg);
        engage();
        b = simBreakAdd(BreakMethod);
        b->className = probe.className;
        b->selector = probe.selector;
    } else if (!strcmp(opt, "--break-bytecode")) {
        char *end;
        long long n;
        arg = platformOptionArgument(argc, argv, i, opt, "needs a bytecode count");
        n = strtoll(arg, &end, 10);
        if (end == arg || *end || n < 1) usageError("%s '%s': expected a positive bytecode count", opt, arg);
        engage();
        b = simBreakAdd(BreakBytecode);
        b->count = (sqInt)n;
    } else if (!strcmp(opt, "--break-gc")) {
        arg = platformOptionArgument(argc, argv, i, opt, "needs any, scavenge or full");
        if (gcKindNamed(arg) < 0) usageError("%s '%s': expected any, scavenge or full", opt, arg);
        engage();
        b = simBreakAdd(BreakGC);
        b->gcKind = gcKindNamed(arg);
    } else if (!strcmp(opt, "--watch") || !strcmp(opt, "--watch-range")) {
        arg = platformOptionArgument(argc, argv, i, opt, opt[7] == '-' ? "needs ADDRESS:BYTES" : "needs OOP:SLOT");
        engage();
        b = parseWatch(opt, arg, opt[7] == '-');
    } else if (!strcmp(opt, "--break-if")) {
        arg = platformOptionArgument(argc, argv, i, opt, "needs a Lua expression");
        if (!lastOptionBreak) usageError("%s '%s' must follow a --break-... or --watch... option", opt, arg);
        lua_pushstring(L, arg);
        lua_pushcfunction(L, conditionRefOption);
        lua_insert(L, -2);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) usageError("--break-if: %s%s", lua_tostring(L, -1), "");
        lastOptionBreak->condition = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        lastOptionBreak = NULL;
        return 1;
    } else {
        return 0;
    }
    lastOptionBreak = b;
    simBreakArm();
    return 1;
}

void simDebuggerDisengage(void) { engaged = 0; }
