/* The talc.* Lua API over the VM's state: objects, memory, the class table, the active process's
 * frames, VM variables and counters, the heap. Every read goes through the spec's checked
 * accessors; a failed check while reading for Lua is a Lua error (the guard below), never the
 * end of the run, and nothing here writes VM memory. docs/simulator.md documents the API. */
#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim_debug.h"
#include "gc_copy.h"
#include "../platform_internal.h"

/* runs read(data) under the guard: 0 if a check failed (the message is in simCheckMessage).
 * read must not raise Lua errors: a guarded region holds no Lua call. */
int simGuarded(void (*read)(void *), void *data)
{
    jmp_buf guard;
    jmp_buf *volatile outer = simCheckGuard;
    int ok;
    simCheckGuard = &guard;
    ok = setjmp(guard) == 0;
    if (ok) read(data);
    simCheckGuard = outer;
    return ok;
}

static int guardError(lua_State *L) { return luaL_error(L, "%s", simCheckMessage); }

/* luaL_error with C's formats (Lua's own know no %lx) */
int simLuaError(lua_State *L, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s", message);
}

/* ---- objects: a userdata holding an oop and the collector's counts when it was read ---- */
#define ObjectType "talc.Object"

typedef struct {
    sqInt oop, scavenges, fullGCs;
    int young;
} Obj;

void simLuaPushOop(lua_State *L, sqInt oop)
{
    Obj *o = lua_newuserdatauv(L, sizeof *o, 0);
    o->oop = oop;
    o->scavenges = scavengeCount;
    o->fullGCs = fullGCCount;
    o->young = isNonImmediate(oop) && !(oop >= oldSpaceStart && oop < oldSpaceLimit);
    luaL_setmetatable(L, ObjectType);
}

sqInt simLuaCheckOop(lua_State *L, int arg)
{
    Obj *o = luaL_checkudata(L, arg, ObjectType);
    if (isNonImmediate(o->oop) && (o->fullGCs != fullGCCount || (o->young && o->scavenges != scavengeCount)))
        simLuaError(L, "stale object 0x%lx: the VM collected garbage since it was read and it may have moved; read it again",
                   (unsigned long)o->oop);
    return o->oop;
}

/* an object argument that must be an object in the heap (not an immediate) */
static sqInt checkHeapObject(lua_State *L, int arg)
{
    sqInt oop = simLuaCheckOop(L, arg);
    if (!simIsObject(oop)) simLuaError(L, "0x%lx is not an object in the heap", (unsigned long)oop);
    return oop;
}

typedef struct {
    sqInt oop, a, b, result;
    int depth;
    SimText t;
} Read;

static void readPrint(void *d) { Read *r = d; simPrintOop(r->oop, r->depth, &r->t); }
static void readClass(void *d) { Read *r = d; r->result = fetchClassOf(r->oop); }
static void readClassName(void *d) { Read *r = d; simClassName(fetchClassOf(r->oop), &r->t); }

/* pushes r->t as a string and frees it, or raises the guard's error */
static int pushText(lua_State *L, Read *r, int ok)
{
    if (!ok) { simTextFree(&r->t); return guardError(L); }
    lua_pushlstring(L, simTextString(&r->t), r->t.n);
    simTextFree(&r->t);
    return 1;
}

static int objPrintString(lua_State *L)
{
    Read r = {0};
    r.oop = simLuaCheckOop(L, 1);
    r.depth = (int)luaL_optinteger(L, 2, 2);
    return pushText(L, &r, simGuarded(readPrint, &r));
}

static int objToString(lua_State *L)
{
    Obj *o = luaL_checkudata(L, 1, ObjectType);
    Read r = {0};
    r.oop = o->oop;
    r.depth = 2;
    if (isNonImmediate(o->oop) && (o->fullGCs != fullGCCount || (o->young && o->scavenges != scavengeCount))) {
        lua_pushfstring(L, "(stale object 0x%I)", (lua_Integer)o->oop);
        return 1;
    }
    return pushText(L, &r, simGuarded(readPrint, &r));
}

static int objEq(lua_State *L)
{
    Obj *a = luaL_checkudata(L, 1, ObjectType), *b = luaL_checkudata(L, 2, ObjectType);
    lua_pushboolean(L, a->oop == b->oop);
    return 1;
}

static int objOop(lua_State *L) { lua_pushinteger(L, (lua_Integer)simLuaCheckOop(L, 1)); return 1; }
static int objIsImmediate(lua_State *L) { lua_pushboolean(L, isImmediate(simLuaCheckOop(L, 1))); return 1; }
static int objIsNil(lua_State *L) { lua_pushboolean(L, simLuaCheckOop(L, 1) == nilObj); return 1; }

static int objClass(lua_State *L)
{
    Read r = {0};
    r.oop = simLuaCheckOop(L, 1);
    if (!simGuarded(readClass, &r)) return guardError(L);
    simLuaPushOop(L, r.result);
    return 1;
}

static int objClassName(lua_State *L)
{
    Read r = {0};
    r.oop = simLuaCheckOop(L, 1);
    return pushText(L, &r, simGuarded(readClassName, &r));
}

static int objClassIndex(lua_State *L) { lua_pushinteger(L, (lua_Integer)classTagOf(simLuaCheckOop(L, 1))); return 1; }
static int objFormat(lua_State *L) { lua_pushinteger(L, (lua_Integer)formatOf(checkHeapObject(L, 1))); return 1; }
static int objNumSlots(lua_State *L) { lua_pushinteger(L, (lua_Integer)numSlotsOf(checkHeapObject(L, 1))); return 1; }
static int objNumBytes(lua_State *L) { lua_pushinteger(L, (lua_Integer)bytesInObject(checkHeapObject(L, 1))); return 1; }
static int objHash(lua_State *L) { lua_pushinteger(L, (lua_Integer)rawHashOf(checkHeapObject(L, 1))); return 1; }

/* the number of slots that hold oops: all of a pointer object's, a method's header and literals */
static sqInt pointerSlots(sqInt oop)
{
    sqInt fmt = formatOf(oop);
    if (fmt <= FormatEphemeron) return numSlotsOf(oop);
    if (fmt >= FormatCompiledMethod) return 1 + methodNumLiterals(oop);
    return 0;
}

static void readInstVarIndex(void *d)
{
    Read *r = d;
    SimText name = {0};
    sqInt i, n = pointerSlots(r->oop), cls = fetchClassOf(r->oop);
    r->result = -1;
    for (i = 0; i < n && r->result < 0; i++) {
        simInstVarName(cls, i, &name);
        if (!strcmp(simTextString(&name), simTextString(&r->t))) r->result = i;
        name.n = 0;
    }
    simTextFree(&name);
}

/* a slot argument: 1-based index, or an instance variable's name; answers the 0-based index */
sqInt simLuaCheckSlot(lua_State *L, sqInt oop, int arg)
{
    sqInt n = pointerSlots(oop), i;
    if (lua_type(L, arg) == LUA_TSTRING) {
        Read r = {0};
        r.oop = oop;
        simTextf(&r.t, "%s", lua_tostring(L, arg));
        if (!simGuarded(readInstVarIndex, &r)) { simTextFree(&r.t); return guardError(L); }
        if (r.result < 0) {
            lua_pushfstring(L, "no instance variable named '%s'", simTextString(&r.t));
            simTextFree(&r.t);
            return lua_error(L);
        }
        simTextFree(&r.t);
        return r.result;
    }
    i = (sqInt)luaL_checkinteger(L, arg);
    if (i < 1 || i > n) luaL_error(L, "slot %d out of range (the object has %d pointer slots)", (int)i, (int)n);
    return i - 1;
}

static int objSlot(lua_State *L)
{
    sqInt oop = checkHeapObject(L, 1);
    simLuaPushOop(L, fetchPointer(simLuaCheckSlot(L, oop, 2), oop));
    return 1;
}

static int objSlots(lua_State *L)
{
    sqInt oop = checkHeapObject(L, 1), n = pointerSlots(oop), i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        simLuaPushOop(L, fetchPointer(i, oop));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int objByte(lua_State *L)
{
    sqInt oop = checkHeapObject(L, 1), i = (sqInt)luaL_checkinteger(L, 2);
    if (formatOf(oop) < Format8Bit) return luaL_error(L, "not a byte object");
    if (i < 1 || i > numBytesOf(oop)) return luaL_error(L, "byte %d out of range (the object has %d)", (int)i, (int)numBytesOf(oop));
    lua_pushinteger(L, (lua_Integer)fetchByte(i - 1, oop));
    return 1;
}

static int objBytes(lua_State *L)
{
    sqInt oop = checkHeapObject(L, 1), i, n;
    luaL_Buffer b;
    if (formatOf(oop) < Format8Bit) return luaL_error(L, "not a byte object");
    n = numBytesOf(oop);
    luaL_buffinit(L, &b);
    for (i = 0; i < n; i++) luaL_addchar(&b, (char)fetchByte(i, oop));
    luaL_pushresult(&b);
    return 1;
}

/* a Lua value for the object where there is a natural one, else the object */
static void readValue(void *d)
{
    Read *r = d;
    SimText name = {0};
    r->result = 0;
    if (!simIsObject(r->oop)) return;
    simClassName(fetchClassOf(r->oop), &name);
    if (formatOf(r->oop) >= Format8Bit && formatOf(r->oop) < FormatCompiledMethod && (strstr(simTextString(&name), "String") || strstr(simTextString(&name), "Symbol"))) {
        simBytesOf(r->oop, &r->t);
        r->result = 1;
    } else if (isFloatObject(r->oop)) {
        r->result = 2;
    }
    simTextFree(&name);
}

static int objValue(lua_State *L)
{
    sqInt oop = simLuaCheckOop(L, 1);
    Read r = {0};
    if (isIntegerObject(oop)) { lua_pushinteger(L, (lua_Integer)integerValueOf(oop)); return 1; }
    if (isCharacterObject(oop)) {
        lua_pushfstring(L, "%U", (long)characterValueOf(oop));   /* UTF-8 */
        return 1;
    }
    if (isImmediate(oop)) { lua_pushnumber(L, floatValueOf(oop)); return 1; }
    if (oop == nilObj) { lua_pushnil(L); return 1; }
    if (oop == trueObj || oop == falseObj) { lua_pushboolean(L, oop == trueObj); return 1; }
    r.oop = oop;
    if (!simGuarded(readValue, &r)) return guardError(L);
    if (r.result == 1) return pushText(L, &r, 1);
    if (r.result == 2) { lua_pushnumber(L, floatValueOf(oop)); return 1; }
    lua_settop(L, 1);
    return 1;
}

static void readInspect(void *d)
{
    Read *r = d;
    sqInt oop = r->oop, n, i, cls;
    simPrintOop(oop, 1, &r->t);
    if (!simIsObject(oop)) return;
    cls = fetchClassOf(oop);
    simTextf(&r->t, "\n  0x%lx: class ", (unsigned long)oop);
    simClassName(cls, &r->t);
    simTextf(&r->t, " (index %ld), format %ld, %ld slots, hash %ld\n", (long)classIndexOf(oop), (long)formatOf(oop),
             (long)numSlotsOf(oop), (long)rawHashOf(oop));
    n = pointerSlots(oop);
    for (i = 0; i < n && i < 64; i++) {
        simTextf(&r->t, "  %ld ", (long)i + 1);
        if (formatOf(oop) <= FormatEphemeron) simInstVarName(cls, i, &r->t);
        else simTextf(&r->t, i == 0 ? "header" : "literal");
        simTextf(&r->t, ": ");
        simPrintOop(fetchPointer(i, oop), 1, &r->t);
        simTextf(&r->t, "\n");
    }
    if (n > 64) simTextf(&r->t, "  ... (%ld more)\n", (long)(n - 64));
    if (r->t.n > 0 && r->t.s[r->t.n - 1] == '\n') r->t.s[--r->t.n] = '\0';
}

static int objInspect(lua_State *L)
{
    Read r = {0};
    r.oop = simLuaCheckOop(L, 1);
    return pushText(L, &r, simGuarded(readInspect, &r));
}

static const luaL_Reg objectMethods[] = {
    {"oop", objOop}, {"isImmediate", objIsImmediate}, {"isNil", objIsNil}, {"class", objClass},
    {"className", objClassName}, {"classIndex", objClassIndex}, {"format", objFormat},
    {"numSlots", objNumSlots}, {"byteSize", objNumBytes}, {"hash", objHash}, {"slot", objSlot},
    {"slots", objSlots}, {"byte", objByte}, {"bytes", objBytes}, {"value", objValue},
    {"printString", objPrintString}, {"inspect", objInspect}, {NULL, NULL}};

/* ---- memory ---- */
static sqInt checkAddress(lua_State *L, int size)
{
    sqInt a = (sqInt)luaL_checkinteger(L, 1);
    if (!simIsMemory(a, size)) simLuaError(L, "address 0x%lx is outside VM memory", (unsigned long)a);
    if (a & (size - 1)) simLuaError(L, "address 0x%lx is not aligned to %d bytes", (unsigned long)a, size);
    return a;
}

static int memByteAt(lua_State *L) { lua_pushinteger(L, (lua_Integer)byteAt(checkAddress(L, 1))); return 1; }
static int memShortAt(lua_State *L) { lua_pushinteger(L, (lua_Integer)shortAt(checkAddress(L, 2))); return 1; }
static int memLong32At(lua_State *L) { lua_pushinteger(L, (lua_Integer)long32At(checkAddress(L, 4))); return 1; }
static int memLong64At(lua_State *L) { lua_pushinteger(L, (lua_Integer)long64At(checkAddress(L, 8))); return 1; }
static int memWordAt(lua_State *L) { lua_pushinteger(L, (lua_Integer)longAt(checkAddress(L, BytesPerWord))); return 1; }
static int memFloat64At(lua_State *L) { lua_pushnumber(L, float64At(checkAddress(L, 8))); return 1; }

/* ---- values ---- */
static int luaOop(lua_State *L) { simLuaPushOop(L, (sqInt)luaL_checkinteger(L, 1)); return 1; }

static int luaSpecialObject(lua_State *L)
{
    sqInt i = (sqInt)luaL_checkinteger(L, 1);
    if (i < 0 || i >= numSlotsOf(specialObjectsOop)) return luaL_error(L, "no special object %d", (int)i);
    simLuaPushOop(L, fetchPointer(i, specialObjectsOop));
    return 1;
}

static int luaInteger(lua_State *L)
{
    lua_Integer v = luaL_checkinteger(L, 1);
    if (!isIntegerValue((sqInt)v)) return luaL_error(L, "%I does not fit in a SmallInteger", v);
    simLuaPushOop(L, integerObjectOf((sqInt)v));
    return 1;
}

/* ---- the class table ---- */
typedef struct {
    sqInt *index, *cls;
    int n, cap;
} ClassList;

static void readClasses(void *d)
{
    ClassList *c = d;
    sqInt p, j, page;
    for (p = 0; p < ClassTableRootSlots && p < numSlotsOf(hiddenRootsObj); p++) {
        page = fetchPointer(p, hiddenRootsObj);
        if (page == nilObj || !simIsObject(page)) continue;
        for (j = 0; j < ClassTablePageSize && j < numSlotsOf(page); j++) {
            sqInt cls = fetchPointer(j, page), i = p * ClassTablePageSize + j;
            if (cls == nilObj || i < FirstValidClassIndex || !simIsObject(cls)) continue;
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 256;
                c->index = realloc(c->index, sizeof(sqInt) * (size_t)c->cap);
                c->cls = realloc(c->cls, sizeof(sqInt) * (size_t)c->cap);
                if (!c->index || !c->cls) { fputs("talc-sim: out of memory\n", stderr); exit(70); }
            }
            c->index[c->n] = i;
            c->cls[c->n] = cls;
            c->n++;
        }
    }
}

typedef struct {
    ClassList list;
    SimText *names;
} NamedClasses;

static void readClassNames(void *d)
{
    NamedClasses *c = d;
    int i;
    for (i = 0; i < c->list.n; i++) simClassName(c->list.cls[i], &c->names[i]);
}

/* every class in the class table with its name; 0 on a failed check */
static int collectClasses(NamedClasses *c)
{
    memset(c, 0, sizeof *c);
    if (!simGuarded(readClasses, &c->list)) return 0;
    c->names = calloc((size_t)c->list.n + 1, sizeof(SimText));
    if (!c->names) return 0;
    return simGuarded(readClassNames, c);
}

static void freeClasses(NamedClasses *c)
{
    int i;
    for (i = 0; c->names && i < c->list.n; i++) simTextFree(&c->names[i]);
    free(c->names);
    free(c->list.index);
    free(c->list.cls);
}

static int luaClasses(lua_State *L)
{
    NamedClasses c;
    int i, ok = collectClasses(&c);
    if (!ok) { freeClasses(&c); return guardError(L); }
    lua_createtable(L, c.list.n, 0);
    for (i = 0; i < c.list.n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, (lua_Integer)c.list.index[i]);
        lua_setfield(L, -2, "index");
        simLuaPushOop(L, c.list.cls[i]);
        lua_setfield(L, -2, "class");
        lua_pushstring(L, simTextString(&c.names[i]));
        lua_setfield(L, -2, "name");
        lua_rawseti(L, -2, i + 1);
    }
    freeClasses(&c);
    return 1;
}

static int luaClassNamed(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    NamedClasses c;
    int i, ok = collectClasses(&c), found = -1;
    if (!ok) { freeClasses(&c); return guardError(L); }
    for (i = 0; i < c.list.n && found < 0; i++)
        if (!strcmp(simTextString(&c.names[i]), name)) found = i;
    if (found < 0) lua_pushnil(L);
    else simLuaPushOop(L, c.list.cls[found]);
    freeClasses(&c);
    return 1;
}

static void readClassAt(void *d) { Read *r = d; r->result = classAtIndex(r->a); }
static void readClassNameAt(void *d) { Read *r = d; sqInt c = classAtIndex(r->a); if (c != nilObj) simClassName(c, &r->t); }

static int luaClassAt(lua_State *L)
{
    Read r = {0};
    r.a = (sqInt)luaL_checkinteger(L, 1);
    if (!simGuarded(readClassAt, &r)) return guardError(L);
    if (r.result == nilObj) lua_pushnil(L);
    else simLuaPushOop(L, r.result);
    return 1;
}

/* the name of a class index, cheap enough for a trace function (a Lua string per call) */
static int luaClassName(lua_State *L)
{
    Read r = {0};
    r.a = (sqInt)luaL_checkinteger(L, 1);
    if (!simGuarded(readClassNameAt, &r)) { simTextFree(&r.t); return guardError(L); }
    if (r.t.n == 0) { lua_pushnil(L); return 1; }
    return pushText(L, &r, 1);
}

/* ---- the active process and its frames ---- */
static void readActiveProcess(void *d) { Read *r = d; r->result = activeProcess(); }

static int luaActiveProcess(lua_State *L)
{
    Read r = {0};
    if (!simGuarded(readActiveProcess, &r)) return guardError(L);
    simLuaPushOop(L, r.result);
    return 1;
}

typedef struct {
    SimFrame f;
    SimText name, selector, className;
    sqInt *items;
} CollectedFrame;

typedef struct {
    CollectedFrame *frames;
    int n, cap, limit;
} FrameList;

static int collectFrame(const SimFrame *f, void *data)
{
    FrameList *l = data;
    CollectedFrame *c;
    sqInt i;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        CollectedFrame *frames = realloc(l->frames, sizeof *frames * (size_t)cap);
        if (!frames) return 1;
        memset(frames + l->cap, 0, sizeof *frames * (size_t)(cap - l->cap));
        l->frames = frames;
        l->cap = cap;
    }
    c = &l->frames[l->n++];
    c->f = *f;
    simMethodName(f->method, &c->name);
    simSelectorOfMethod(f->method, &c->selector);
    simClassName(simMethodClass(f->method), &c->className);
    c->items = calloc((size_t)f->stackp + 1, sizeof(sqInt));
    for (i = 0; c->items && i < f->stackp; i++) c->items[i] = simFrameItem(f, i);
    return 0;
}

static void readFrames(void *d)
{
    FrameList *l = d;
    simWalkFrames(l->limit, collectFrame, l);
}

static void freeFrames(FrameList *l)
{
    int i;
    for (i = 0; i < l->n; i++) {
        simTextFree(&l->frames[i].name);
        simTextFree(&l->frames[i].selector);
        simTextFree(&l->frames[i].className);
        free(l->frames[i].items);
    }
    free(l->frames);
}

static void pushItems(lua_State *L, const CollectedFrame *c, sqInt from, sqInt to, const char *field)
{
    sqInt i;
    lua_createtable(L, (int)(to - from), 0);
    for (i = from; c->items && i < to; i++) {
        simLuaPushOop(L, c->items[i]);
        lua_rawseti(L, -2, (lua_Integer)(i - from + 1));
    }
    lua_setfield(L, -2, field);
}

void simLuaPushFrames(lua_State *L, int limit)
{
    FrameList l = {0};
    int i, ok;
    l.limit = limit;
    ok = simGuarded(readFrames, &l);
    if (!ok) {
        freeFrames(&l);
        guardError(L);
        return;
    }
    lua_createtable(L, l.n, 0);
    for (i = 0; i < l.n; i++) {
        CollectedFrame *c = &l.frames[i];
        lua_createtable(L, 0, 14);
        lua_pushinteger(L, i + 1);
        lua_setfield(L, -2, "index");
        simLuaPushOop(L, c->f.method);
        lua_setfield(L, -2, "method");
        lua_pushfstring(L, "%s%s", c->f.isBlock ? "[] in " : "", simTextString(&c->name));
        lua_setfield(L, -2, "name");
        lua_pushstring(L, simTextString(&c->selector));
        lua_setfield(L, -2, "selector");
        lua_pushstring(L, simTextString(&c->className));
        lua_setfield(L, -2, "class");
        lua_pushinteger(L, (lua_Integer)c->f.pc);
        lua_setfield(L, -2, "pc");
        simLuaPushOop(L, c->f.receiver);
        lua_setfield(L, -2, "receiver");
        lua_pushboolean(L, c->f.isBlock);
        lua_setfield(L, -2, "block");
        if (c->f.context) {
            simLuaPushOop(L, c->f.context);
            lua_setfield(L, -2, "context");
        }
        if (c->f.fp) {
            lua_pushinteger(L, (lua_Integer)c->f.fp);
            lua_setfield(L, -2, "fp");
        }
        pushItems(L, c, 0, c->f.numArgs, "args");
        pushItems(L, c, c->f.numArgs, c->f.numTemps, "temps");
        pushItems(L, c, c->f.numTemps, c->f.stackp, "stack");
        lua_rawseti(L, -2, i + 1);
    }
    freeFrames(&l);
}

static int luaFrames(lua_State *L)
{
    simLuaPushFrames(L, (int)luaL_optinteger(L, 1, 1000000));
    return 1;
}

static int luaFrame(lua_State *L)
{
    lua_Integer i = luaL_optinteger(L, 1, 1);
    if (i < 1) return luaL_error(L, "frame %I: frames count from 1, the innermost", i);
    simLuaPushFrames(L, (int)i);
    lua_rawgeti(L, -1, i);
    return 1;
}

static void readBacktrace(void *d)
{
    Read *r = d;
    simBacktrace((int)r->a, 1, &r->t);
    if (r->t.n > 0 && r->t.s[r->t.n - 1] == '\n') r->t.s[--r->t.n] = '\0';   /* print adds its own */
}

static int luaBacktrace(lua_State *L)
{
    Read r = {0};
    r.a = (sqInt)luaL_optinteger(L, 1, 20);
    return pushText(L, &r, simGuarded(readBacktrace, &r));
}

/* ---- VM variables (every scalar of vmspec/vmstate.h) and counters ---- */
static const struct { const char *name; sqInt *address; } vmVariables[] = {
#define SIM_LUA_SCALAR(type, name, init) {#name, (sqInt *)&name},
#define SIM_LUA_ARRAY(type, name, count)
    VM_STATE(SIM_LUA_SCALAR, SIM_LUA_ARRAY)
#undef SIM_LUA_SCALAR
#undef SIM_LUA_ARRAY
};

static int vmIndex(lua_State *L)
{
    const char *name = luaL_checkstring(L, 2);
    size_t i;
    for (i = 0; i < sizeof vmVariables / sizeof vmVariables[0]; i++)
        if (!strcmp(vmVariables[i].name, name)) {
            lua_pushinteger(L, (lua_Integer)*vmVariables[i].address);
            return 1;
        }
    return luaL_error(L, "talc.vm has no variable '%s' (see vmspec/vmstate.h)", name);
}

static int vmNewIndex(lua_State *L) { return luaL_error(L, "talc.vm is read-only"); }

static int vmNames(lua_State *L)
{
    size_t i;
    lua_createtable(L, (int)(sizeof vmVariables / sizeof vmVariables[0]), 0);
    for (i = 0; i < sizeof vmVariables / sizeof vmVariables[0]; i++) {
        lua_pushstring(L, vmVariables[i].name);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int luaCounters(lua_State *L)
{
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)bytecodeCount);
    lua_setfield(L, -2, "bytecodes");
    lua_pushinteger(L, (lua_Integer)sendCount);
    lua_setfield(L, -2, "sends");
    lua_pushinteger(L, (lua_Integer)allocationCount);
    lua_setfield(L, -2, "allocations");
    lua_pushinteger(L, (lua_Integer)scavengeCount);
    lua_setfield(L, -2, "scavenges");
    lua_pushinteger(L, (lua_Integer)fullGCCount);
    lua_setfield(L, -2, "fullGCs");
    return 1;
}

/* ---- the heap: fn(classIndex, bytes, oop) for every object, old space then survivors then eden ---- */
#define HeapBatch 4096

typedef struct {
    sqInt space[3][2];
    int s;
    sqInt a;
    int n;
    sqInt cls[HeapBatch], bytes[HeapBatch], oop[HeapBatch];
} HeapWalk;

static void readHeapBatch(void *d)
{
    HeapWalk *w = d;
    w->n = 0;
    while (w->s < 3 && w->n < HeapBatch) {
        sqInt oop, c, b;
        if (w->a >= w->space[w->s][1]) {
            if (++w->s < 3) w->a = w->space[w->s][0];
            continue;
        }
        oop = objectStartingAt(w->a);
        b = bytesInObject(oop);
        w->a += b;
        c = classIndexOf(oop);
        if (c == FreeChunkClassIndex || c == SmallIntegerOddClassIndex || c == ForwardedClassIndex) continue;
        w->cls[w->n] = c;
        w->bytes[w->n] = b;
        w->oop[w->n] = oop;
        w->n++;
    }
}

static int luaEachObject(lua_State *L)
{
    HeapWalk *w;
    int i;
    luaL_checktype(L, 1, LUA_TFUNCTION);
    w = lua_newuserdatauv(L, sizeof *w, 0);   /* collected with the call, even on an error */
    memset(w, 0, sizeof *w);
    w->space[0][0] = oldSpaceStart;
    w->space[0][1] = endOfOldObjects;
    w->space[1][0] = pastSpaceStart;
    w->space[1][1] = pastSpaceFree;
    w->space[2][0] = edenStart;
    w->space[2][1] = freeStart;
    w->a = oldSpaceStart;
    for (;;) {
        if (!simGuarded(readHeapBatch, w)) return guardError(L);
        if (w->n == 0) break;
        for (i = 0; i < w->n; i++) {
            lua_pushvalue(L, 1);
            lua_pushinteger(L, (lua_Integer)w->cls[i]);
            lua_pushinteger(L, (lua_Integer)w->bytes[i]);
            lua_pushinteger(L, (lua_Integer)w->oop[i]);
            lua_call(L, 3, 0);
        }
    }
    return 0;
}

/* talc.gcReplay(): after a collection failed on its copy, run it again on a fresh copy of the
 * untouched original; true if it failed the same way (gc_copy.c prints what happened) */
static int luaGCReplay(lua_State *L)
{
    lua_pushboolean(L, simGCReplay());
    return 1;
}

/* talc.gcCopies(): how many collections ran on a copy first, and the seconds they took */
static int luaGCCopies(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)simGCCopiesRun());
    lua_pushnumber(L, simGCCopySeconds());
    return 2;
}

static const luaL_Reg talcFunctions[] = {
    {"oop", luaOop}, {"specialObject", luaSpecialObject}, {"integer", luaInteger},
    {"byteAt", memByteAt}, {"shortAt", memShortAt}, {"long32At", memLong32At}, {"long64At", memLong64At},
    {"wordAt", memWordAt}, {"float64At", memFloat64At},
    {"classes", luaClasses}, {"classNamed", luaClassNamed}, {"classAt", luaClassAt}, {"className", luaClassName},
    {"activeProcess", luaActiveProcess}, {"frames", luaFrames}, {"frame", luaFrame}, {"backtrace", luaBacktrace},
    {"counters", luaCounters}, {"vmVariables", vmNames}, {"eachObject", luaEachObject},
    {"gcReplay", luaGCReplay}, {"gcCopies", luaGCCopies},
    {NULL, NULL}};

/* leaves the talc table on the stack */
void simLuaOpen(lua_State *L)
{
    luaL_newmetatable(L, ObjectType);
    luaL_newlib(L, objectMethods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, objToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, objEq);
    lua_setfield(L, -2, "__eq");
    lua_pop(L, 1);

    luaL_newlib(L, talcFunctions);
    lua_newtable(L);                      /* talc.vm: every VM variable, read-only */
    lua_newtable(L);
    lua_pushcfunction(L, vmIndex);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, vmNewIndex);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "vm");
    lua_pushinteger(L, BytesPerWord);
    lua_setfield(L, -2, "wordSize");
    lua_pushstring(L, TALC_VERSION);
    lua_setfield(L, -2, "version");
}
