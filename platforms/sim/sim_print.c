/* Names and printStrings of VM objects, and the walk over the active process's frames and
 * contexts: the fatal report's backtrace and the debugger's view of the VM. Everything reads VM
 * memory through the spec's own accessors; callers that may meet a broken heap hold a guard
 * (simCheckGuard) so that a failed check ends the text, not the run. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim_debug.h"

/* ---- text ---- */
void simTextBytes(SimText *t, const char *bytes, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 128;
        while (cap < t->n + n + 1) cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) { fputs("talc-sim: out of memory\n", stderr); exit(70); }
        t->s = s;
        t->cap = cap;
    }
    memcpy(t->s + t->n, bytes, n);
    t->n += n;
    t->s[t->n] = '\0';
}

void simTextf(SimText *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) { simTextBytes(t, buf, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    simTextBytes(t, big, (size_t)n);
    free(big);
}

void simTextFree(SimText *t)
{
    free(t->s);
    t->s = NULL;
    t->n = t->cap = 0;
}

const char *simTextString(SimText *t) { return t->s ? t->s : ""; }

/* ---- objects ---- */
int simIsObject(sqInt oop) { return oop != 0 && !isImmediate(oop) && simIsObjectStart(oop); }

static int isBytesObject8(sqInt oop) { return simIsObject(oop) && formatOf(oop) >= Format8Bit && formatOf(oop) < FormatCompiledMethod; }

int simBytesOf(sqInt oop, SimText *t)
{
    sqInt i, n;
    if (!isBytesObject8(oop)) return 0;
    n = numBytesOf(oop);
    for (i = 0; i < n; i++) {
        char c = (char)fetchByte(i, oop);
        simTextBytes(t, &c, 1);
    }
    return 1;
}

static void classNameAt(sqInt cls, int depth, SimText *t)
{
    sqInt name, meta;
    if (!simIsObject(cls) || !isPointersNonImm(cls) || depth > 2) { simTextf(t, "?"); return; }
    if (numSlotsOf(cls) > 6) {
        name = fetchPointer(6, cls);
        if (isBytesObject8(name)) { simBytesOf(name, t); return; }
    }
    /* a metaclass: its sole instance is its slot 5 (thisClass) in Squeak, Pharo and Talc */
    if (numSlotsOf(cls) > 5) {
        meta = fetchPointer(5, cls);
        if (meta != cls && simIsObject(meta) && isPointersNonImm(meta)) {
            classNameAt(meta, depth + 1, t);
            simTextf(t, " class");
            return;
        }
    }
    simTextf(t, "?");
}

void simClassName(sqInt cls, SimText *t) { classNameAt(cls, 0, t); }

/* the method a CompiledBlock belongs to (its last literal is its outer code), or m itself */
static sqInt outerMethod(sqInt m)
{
    int depth = 0;
    while (depth++ < 100 && simIsObject(m) && isCompiledMethod(m) && methodNumLiterals(m) > 0) {
        sqInt outer = literal(methodNumLiterals(m) - 1, m);
        if (!simIsObject(outer) || !isCompiledMethod(outer)) break;
        m = outer;
    }
    return m;
}

static int isCompiledBlock(sqInt m)
{
    return simIsObject(m) && isCompiledMethod(m) && methodNumLiterals(m) > 0 && simIsObject(literal(methodNumLiterals(m) - 1, m))
        && isCompiledMethod(literal(methodNumLiterals(m) - 1, m));
}

sqInt simMethodClass(sqInt method)
{
    sqInt m = outerMethod(method), binding;
    if (!simIsObject(m) || !isCompiledMethod(m) || methodNumLiterals(m) < 1) return 0;
    binding = literal(methodNumLiterals(m) - 1, m);
    if (!simIsObject(binding) || !isPointersNonImm(binding)) return 0;
    /* an Association (Talc and Squeak: #Foo -> Foo, nil -> Foo class), or the class itself */
    if (numSlotsOf(binding) == 2) return fetchPointer(AssociationValueIndex, binding);
    return binding;
}

void simSelectorOfMethod(sqInt method, SimText *t)
{
    sqInt m = outerMethod(method), sel;
    if (!simIsObject(m) || !isCompiledMethod(m) || methodNumLiterals(m) < 2) { simTextf(t, "?"); return; }
    sel = literal(methodNumLiterals(m) - 2, m);
    /* Squeak and Pharo keep pragmas and properties in an AdditionalMethodState: method, selector, ... */
    if (simIsObject(sel) && isPointersNonImm(sel) && numSlotsOf(sel) >= 2) sel = fetchPointer(1, sel);
    if (!simBytesOf(sel, t)) simTextf(t, "?");
}

void simMethodName(sqInt method, SimText *t)
{
    if (!simIsObject(method) || !isCompiledMethod(method)) { simTextf(t, "(not a method)"); return; }
    simClassName(simMethodClass(method), t);
    simTextf(t, ">>");
    simSelectorOfMethod(method, t);
}

/* ---- printString-like display ---- */
static void printFloat(double d, SimText *t)
{
    char buf[40];
    int p;
    if (d != d) { simTextf(t, "NaN"); return; }
    if (isinf(d)) { simTextf(t, d > 0 ? "Float infinity" : "Float negativeInfinity"); return; }
    for (p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, d);
        if (strtod(buf, NULL) == d) break;
    }
    simTextf(t, "%s%s", buf, strpbrk(buf, ".e") ? "" : ".0");
}

/* the magnitude of a LargePositive/NegativeInteger (little-endian bytes) in decimal */
static void printLargeInteger(sqInt oop, int negative, SimText *t)
{
    sqInt n = numBytesOf(oop), i, len;
    unsigned char *mag;
    char *digits;
    size_t nd = 0;
    if (n > 512) { simTextf(t, "a %sLargeInteger (%ld bytes)", negative ? "negative " : "", (long)n); return; }
    mag = malloc((size_t)n + 1);
    digits = malloc((size_t)n * 3 + 2);
    if (!mag || !digits) { free(mag); free(digits); return; }
    for (i = 0; i < n; i++) mag[i] = (unsigned char)fetchByte(i, oop);
    len = n;
    while (len > 0 && mag[len - 1] == 0) len--;
    do {
        unsigned rem = 0;
        for (i = len - 1; i >= 0; i--) {
            unsigned cur = rem * 256 + mag[i];
            mag[i] = (unsigned char)(cur / 10);
            rem = cur % 10;
        }
        digits[nd++] = (char)('0' + rem);
        while (len > 0 && mag[len - 1] == 0) len--;
    } while (len > 0);
    if (negative) simTextf(t, "-");
    while (nd > 0) simTextBytes(t, &digits[--nd], 1);
    free(mag);
    free(digits);
}

static int endsWith(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* a class object: format in slot 2, a method dictionary or nil in slot 1, a name */
static int isClassObject(sqInt oop)
{
    SimText name = {0};
    int yes;
    if (!isPointersNonImm(oop) || numSlotsOf(oop) < 6 || !isIntegerObject(fetchPointer(ClassFormatIndex, oop))) return 0;
    simClassName(oop, &name);
    yes = strcmp(simTextString(&name), "?") != 0;
    simTextFree(&name);
    return yes;
}

static void printBytesObject(sqInt oop, const char *className, SimText *t)
{
    sqInt n = numBytesOf(oop), i, shown = n < 200 ? n : 200;
    if (endsWith(className, "Symbol")) {
        int plain = n > 0;
        for (i = 0; i < n; i++) {
            int c = (int)fetchByte(i, oop);
            if (!(c == ':' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) plain = 0;
        }
        simTextf(t, plain ? "#" : "#'");
        for (i = 0; i < shown; i++) {
            char c = (char)fetchByte(i, oop);
            simTextBytes(t, &c, 1);
            if (c == '\'' && !plain) simTextBytes(t, &c, 1);
        }
        simTextf(t, "%s%s", shown < n ? "..." : "", plain ? "" : "'");
        return;
    }
    if (strstr(className, "String")) {
        simTextf(t, "'");
        for (i = 0; i < shown; i++) {
            char c = (char)fetchByte(i, oop);
            simTextBytes(t, &c, 1);
            if (c == '\'') simTextBytes(t, &c, 1);
        }
        simTextf(t, "%s'", shown < n ? "..." : "");
        return;
    }
    if (!strcmp(className, "LargePositiveInteger") || !strcmp(className, "LargeNegativeInteger")) {
        printLargeInteger(oop, className[5] == 'N', t);
        return;
    }
    if (!strcmp(className, "ByteArray")) {
        simTextf(t, "#[");
        for (i = 0; i < n && i < 32; i++) simTextf(t, "%s%ld", i ? " " : "", (long)fetchByte(i, oop));
        simTextf(t, "%s]", n > 32 ? " ..." : "");
        return;
    }
    simTextf(t, "%s %s (%ld bytes)", strchr("AEIOU", className[0]) ? "an" : "a", className, (long)n);
}

void simPrintOop(sqInt oop, int depth, SimText *t)
{
    SimText name = {0};
    sqInt cidx, fmt, cls, i, n;
    if (isIntegerObject(oop)) { simTextf(t, "%ld", (long)integerValueOf(oop)); return; }
    if (isCharacterObject(oop)) {
        sqInt v = characterValueOf(oop);
        if (v > 32 && v < 127) simTextf(t, "$%c", (int)v);
        else simTextf(t, "Character value: %ld", (long)v);
        return;
    }
    if (isImmediate(oop)) {
        if (isFloatObject(oop)) printFloat(floatValueOf(oop), t);
        else simTextf(t, "an immediate (0x%lx)", (unsigned long)oop);
        return;
    }
    if (oop == nilObj) { simTextf(t, "nil"); return; }
    if (oop == trueObj) { simTextf(t, "true"); return; }
    if (oop == falseObj) { simTextf(t, "false"); return; }
    if (!simIsObject(oop)) { simTextf(t, "0x%lx (not an object)", (unsigned long)oop); return; }
    cidx = classIndexOf(oop);
    fmt = formatOf(oop);
    if (cidx == ForwardedClassIndex) {
        simTextf(t, "a forwarder to ");
        if (depth > 0) simPrintOop(followForwarded(oop), depth - 1, t);
        else simTextf(t, "0x%lx", (unsigned long)fetchPointer(0, oop));
        return;
    }
    if (cidx == FreeChunkClassIndex) { simTextf(t, "a free chunk (%ld bytes)", (long)bytesInObject(oop)); return; }
    if (cidx < FirstValidClassIndex) { simTextf(t, "a hidden object (class index %ld)", (long)cidx); return; }
    if (fmt >= FormatCompiledMethod) {
        simTextf(t, "%s", isCompiledBlock(oop) ? "[] in " : "");
        simMethodName(oop, t);
        return;
    }
    if (isClassObject(oop)) { simClassName(oop, t); return; }
    cls = classAtIndex(cidx);
    simClassName(cls, &name);
    if (fmt >= Format8Bit) printBytesObject(oop, simTextString(&name), t);
    else if (isFloatObject(oop)) printFloat(floatValueOf(oop), t);
    else if (cls == splObj(SpecialClassArray)) {
        n = numSlotsOf(oop);
        if (depth <= 0) simTextf(t, "an Array (%ld)", (long)n);
        else {
            simTextf(t, "#(");
            for (i = 0; i < n && i < 12; i++) {
                if (i) simTextf(t, " ");
                simPrintOop(fetchPointer(i, oop), depth - 1, t);
            }
            simTextf(t, "%s)", n > 12 ? " ..." : "");
        }
    } else {
        simTextf(t, "%s %s", strchr("AEIOU", simTextString(&name)[0]) ? "an" : "a", simTextString(&name));
    }
    simTextFree(&name);
}

/* the instance variable names of a class and its superclasses, from each one's Array of names */
void simInstVarName(sqInt cls, sqInt index, SimText *t)
{
    sqInt chain[64], names, i, n = 0, base = 0;
    while (n < 64 && simIsObject(cls) && isPointersNonImm(cls) && numSlotsOf(cls) > 3) {
        chain[n++] = cls;
        cls = fetchPointer(ClassSuperclassIndex, cls);
    }
    for (i = n - 1; i >= 0; i--) {
        names = fetchPointer(3, chain[i]);
        if (names == nilObj) continue;
        if (!simIsObject(names) || !isPointersNonImm(names)) return;
        if (index < base + numSlotsOf(names)) {
            simBytesOf(fetchPointer(index - base, names), t);
            return;
        }
        base += numSlotsOf(names);
    }
}

/* ---- frames and contexts ---- */
static sqInt blockNumTemps(sqInt blockMethod, sqInt closure, sqInt numArgs)
{
    if (!simIsObject(closure)) return numArgs;
    if (isFullBlockClosure(closure)) return methodNumTemps(blockMethod);
    return numArgs + numSlotsOf(closure) - ClosureFirstCopiedValueIndex;
}

int simWalkFrames(int limit, int (*fn)(const SimFrame *f, void *data), void *data)
{
    sqInt fp = framePointer, ctx = 0, ip, sp, v;
    int depth = 0;
    if (stackPage == 0 || fp == 0) return 0;
    while (depth < limit) {
        SimFrame f;
        memset(&f, 0, sizeof f);
        if (fp != 0) {
            f.fp = fp;
            f.method = frameMethod(fp);
            f.isBlock = (int)frameIsBlock(fp);
            f.numArgs = frameNumArgs(fp);
            f.receiver = frameReceiver(fp);
            f.context = frameHasContext(fp) ? frameContext(fp) : 0;
            f.closure = f.isBlock ? frameStackedReceiver(fp) : 0;
            ip = fp == framePointer ? instructionPointer : frameIP(fp);
            sp = fp == framePointer ? stackPointer : frameSP(fp);
            /* the innermost frame's pc is the bytecode it is running (or about to run, before
             * a bytecode); its callers' are where their sends return */
            if (depth == 0 && simBytecodeIP >= f.method + BaseHeaderSize && simBytecodeIP < ip
                && simBytecodeIP < f.method + BaseHeaderSize + numSlotsOf(f.method) * BytesPerWord)
                ip = simBytecodeIP + 1;
            f.pc = ip - (f.method + BaseHeaderSize) + 1 - (depth == 0 && ip == simBytecodeIP + 1 ? 1 : 0);
            f.stackp = frameStackp(fp, sp);
        } else {
            if (ctx == nilObj || !simIsObject(ctx) || !isContext(ctx) || numSlotsOf(ctx) < ContextTempFrameStart) break;
            if (isMarriedContext(ctx)) { fp = frameOfMarriedContext(ctx); continue; }
            f.context = ctx;
            f.method = fetchPointer(ContextMethodIndex, ctx);
            f.receiver = fetchPointer(ContextReceiverIndex, ctx);
            f.closure = fetchPointer(ContextClosureIndex, ctx);
            f.isBlock = f.closure != nilObj;
            if (!f.isBlock) f.closure = 0;
            v = fetchPointer(ContextPCIndex, ctx);
            f.pc = isIntegerObject(v) ? integerValueOf(v) : 0;
            v = fetchPointer(ContextSPIndex, ctx);
            f.stackp = isIntegerObject(v) ? integerValueOf(v) : 0;
            if (f.stackp > numSlotsOf(ctx) - ContextTempFrameStart) f.stackp = numSlotsOf(ctx) - ContextTempFrameStart;
            f.numArgs = f.isBlock ? (simIsObject(f.closure) ? closureNumArgs(f.closure) : 0)
                                  : (simIsObject(f.method) && isCompiledMethod(f.method) ? methodNumArgs(f.method) : 0);
        }
        if (simIsObject(f.method) && isCompiledMethod(f.method))
            f.numTemps = f.isBlock ? blockNumTemps(f.method, f.closure, f.numArgs) : methodNumTemps(f.method);
        if (f.numTemps > f.stackp) f.numTemps = f.stackp;
        if (f.numArgs > f.numTemps) f.numArgs = f.numTemps;
        depth++;
        if (fn(&f, data)) break;
        if (f.fp != 0) {
            if (!isBaseFrame(fp)) { fp = frameCallerFP(fp); continue; }
            ctx = frameCallerContext(fp);
            fp = 0;
        } else {
            ctx = fetchPointer(ContextSenderIndex, ctx);
        }
    }
    return depth;
}

sqInt simFrameItem(const SimFrame *f, sqInt i)
{
    return f->fp ? temporary(i, f->fp) : fetchPointer(ContextTempFrameStart + i, f->context);
}

static void printItems(const SimFrame *f, sqInt from, sqInt to, SimText *t)
{
    sqInt i;
    for (i = from; i < to && i < from + 8; i++) {
        if (i > from) simTextf(t, ", ");
        simPrintOop(simFrameItem(f, i), 1, t);
    }
    if (to > from + 8) simTextf(t, ", ...");
}

/* "Foo>>bar: pc 12, self a Foo, args (3), temps (nil)" (verbose), or the fatal report's shorter
 * "Foo>>bar: pc 12 (a Foo)" */
void simFrameLine(const SimFrame *f, int verbose, SimText *t)
{
    if (f->isBlock) simTextf(t, "[] in ");
    simMethodName(f->method, t);
    if (f->pc > 0) simTextf(t, " pc %ld", (long)f->pc);
    if (!verbose) {
        sqInt first = f->numArgs > 0 ? simFrameItem(f, 0) : 0;
        simTextf(t, " (");
        simPrintOop(f->receiver, 0, t);
        simTextf(t, ")");
        /* doesNotUnderstand: names the selector that was not understood */
        if (simIsObject(first) && isPointersNonImm(first) && fetchClassOf(first) == splObj(SpecialClassMessage)) {
            simTextf(t, " message ");
            simPrintOop(fetchPointer(MessageSelectorIndex, first), 0, t);
        }
        if (f->fp == 0) simTextf(t, " [context]");
        return;
    }
    simTextf(t, ", self ");
    simPrintOop(f->receiver, 1, t);
    if (f->numArgs > 0) { simTextf(t, ", args ("); printItems(f, 0, f->numArgs, t); simTextf(t, ")"); }
    if (f->numTemps > f->numArgs) { simTextf(t, ", temps ("); printItems(f, f->numArgs, f->numTemps, t); simTextf(t, ")"); }
    if (f->fp == 0) simTextf(t, " [context]");
}

typedef struct {
    SimText *t;
    int verbose, index;
} BacktraceData;

static int backtraceLine(const SimFrame *f, void *data)
{
    BacktraceData *d = data;
    if (d->verbose) simTextf(d->t, "#%d ", ++d->index);
    else simTextf(d->t, "    ");
    simFrameLine(f, d->verbose, d->t);
    simTextf(d->t, "\n");
    return 0;
}

void simBacktrace(int limit, int verbose, SimText *t)
{
    BacktraceData d = {t, verbose, 0};
    size_t start = t->n;
    simWalkFrames(limit, backtraceLine, &d);
    if (t->n == start) simTextf(t, "(no frames: no process is running)\n");
}
