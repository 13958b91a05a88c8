/* The image's objects: the memory manager's own first (nil, false, true, the free lists, the
 * hidden roots with the class table), then classes and metaclasses, globals, compiled methods,
 * the special objects array and the process that starts the image.
 *
 * The image contract (what the kernel must define, checked here):
 *   - the classes the VM knows, with the inst var layouts of vmspec/constants.h;
 *   - SystemDictionary>>startUp, run by the initial process with Smalltalk as receiver;
 *   - doit chunks become clean FullBlockClosures in the global BootDoIts (an Array, in file
 *     order), for the kernel's start-up to evaluate first;
 *   - Symbol's class variable SymbolTable (if declared) holds an Array of every symbol. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

Val smalltalkV, schedulerV, processorBindingV, specialsV;

/* ---- globals ---- */
typedef struct {
    char *name;
    Val binding;
} Global;
static Global *globals;
static int nglobals;
static int globalsReady;

Val globalBinding(const char *name, int create)
{
    int i;
    ClassDef *c;
    for (i = 0; i < nglobals; i++)
        if (!strcmp(globals[i].name, name)) return globals[i].binding ? globals[i].binding : (globalsReady ? 0 : 1);
    if (globalsReady && (c = findClass(name))) return c->binding;
    if (!create) return 0;
    globals = xrealloc(globals, sizeof(Global) * (size_t)(nglobals + 1));
    globals[nglobals].name = xstrdup(name);
    globals[nglobals].binding = 0;
    nglobals++;
    return globalsReady ? 0 : 1;
}

ClassDef *requireClass(const char *name)
{
    ClassDef *c = findClass(name);
    if (!c) fatal("the kernel does not define class %s, which the image needs", name);
    return c;
}

static ClassDef *optionalClass(const char *name) { return findClass(name); }

/* the index of an inst var the VM relies on, checked */
static int ivarIndex(ClassDef *c, const char *name, int expected)
{
    int i = classIvarIndex(c, name);
    if (i < 0 && expected < 0) return -1;
    if (i < 0) fatal("class %s needs an instance variable '%s'", c->name, name);
    if (expected >= 0 && i != expected)
        fatal("class %s: instance variable '%s' must be number %d (the VM's layout), not %d", c->name, name, expected + 1, i + 1);
    return i;
}

static void setIvar(int id, ClassDef *c, const char *name, Val v)
{
    int i = classIvarIndex(c, name);
    if (i >= 0) objSlotPut(id, i, v);
}

static int instance(ClassDef *c, int indexable)
{
    int n = classInstSize(c);
    if (c->spec == F_VAR || c->spec == F_VARIV || c->spec == F_WEAK) n += indexable;
    return newObj(c->id, c->spec, n, 0);
}

static Val association(Val key, Val value)
{
    int id = instance(requireClass("Association"), 0);
    objSlotPut(id, 0, key);
    objSlotPut(id, 1, value);
    return VOBJ(id);
}

/* ---- literals ---- */
Val literalValue(Lit *l)
{
    int64_t v;
    int i, id;
    switch (l->kind) {
    case L_NIL: return nilV;
    case L_TRUE: return trueV;
    case L_FALSE: return falseV;
    case L_CHAR: return VCHAR(l->ch);
    case L_SYMBOL: return symbolNamedLen(l->str, l->strLen);
    case L_STRING: return newString(l->str, l->strLen);
    case L_BYTES:
        id = newObj(requireClass("ByteArray")->id, F_8, 0, l->strLen);
        if (l->strLen) memcpy(obj(id)->bytes, l->str, (size_t)l->strLen);
        return VOBJ(id);
    case L_ARRAY: {
        Val a = newArray(l->nelems);
        for (i = 0; i < l->nelems; i++) objSlotPut(OBJID(a), i, literalValue(l->elems[i]));
        return a;
    }
    case L_INT: {
        int n = l->num.nbytes;
        if (numberFitsInt64(&l->num, &v) && isSmallIntValue(v)) return VINT(v);
        while (n > 0 && l->num.mag[n - 1] == 0) n--;
        id = newObj(requireClass(l->num.negative ? "LargeNegativeInteger" : "LargePositiveInteger")->id, F_8, 0, n);
        memcpy(obj(id)->bytes, l->num.mag, (size_t)n);
        return VOBJ(id);
    }
    case L_FLOAT: {
        ClassDef *fc = optionalClass("BoxedFloat64");
        uint64_t bits;
        uint32_t hi, lo;
        double d = l->num.f;
        if (!fc) fc = requireClass("Float");
        memcpy(&bits, &d, 8);
        if (wordBytes == 8 && optionalClass("SmallFloat64")) {
            /* a SmallFloat64 immediate when the exponent fits (as the VM encodes them) */
            int exponent = (int)((bits >> 52) & 0x7FF);
            if ((bits & 0x7FFFFFFFFFFFFFFFULL) == 0 || (exponent > 896 && exponent < 896 + 256)) {
                uint64_t rot = (bits << 1) | (bits >> 63);
                if (rot > 1) rot -= (uint64_t)896 << 53;
                return VSFLOAT(rot);
            }
        }
        hi = (uint32_t)(bits >> 32);
        lo = (uint32_t)bits;
        id = newObj(fc->id, F_32, 0, 8);
        /* the platform's order (little-endian): the low word first */
        memcpy(obj(id)->bytes, &lo, 4);
        memcpy(obj(id)->bytes + 4, &hi, 4);
        return VOBJ(id);
    }
    }
    return nilV;
}

/* ---- class indices ---- */
static int classTableMax;

static void assignIndices(void)
{
    static const struct { const char *name; int index; } fixed[] = {
        {"SmallInteger", 1}, {"Character", 2}, {"SmallFloat64", 4},
        {"LargeNegativeInteger", 32}, {"LargePositiveInteger", 33}, {"BoxedFloat64", 34}, {"Message", 35},
        {"Context", 36}, {"BlockClosure", 37}, {"FullBlockClosure", 38},
        {"ByteArray", 50}, {"Array", 51}, {"ByteString", 52}, {"Bitmap", 53}, {"Point", 54}, {NULL, 0}
    };
    char *used = xmalloc(1 << 22);
    int i, k, next = 55;
    memset(used, 0, 1 << 22);
    for (i = 0; i < 32; i++) used[i] = 1;
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        c->index = 0;
        for (k = 0; fixed[k].name; k++) {
            if (!strcmp(c->name, fixed[k].name)) {
                if (fixed[k].index == 4 && wordBytes == 4) break;
                c->index = fixed[k].index;
                used[c->index] = 1;
            }
        }
        if (!strcmp(c->name, "Float") && !findClass("BoxedFloat64")) { c->index = 34; used[34] = 1; }
    }
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        if (!c->index) { while (used[next]) next++; c->index = next; used[next] = 1; }
        while (used[next]) next++;
        c->metaIndex = next;
        used[next] = 1;
    }
    classTableMax = 0;
    for (i = 0; i < (1 << 22); i++) if (used[i]) classTableMax = i;
    free(used);
}

/* ---- hashed collections: tally, array of associations placed by the key's identity hash ---- */
static Val hashedArrayOf(Val *assocs, int n)
{
    int cap = 32, i;
    Val arr;
    while (cap < n * 2) cap *= 2;
    arr = newArray(cap);
    for (i = 0; i < n; i++) {
        Val key = objSlot(OBJID(assocs[i]), 0);
        uint32_t h = ISOBJ(key) ? obj(OBJID(key))->hash : 0;
        int j = (int)(h & (uint32_t)(cap - 1));
        while (objSlot(OBJID(arr), j) != nilV) j = (j + 1) & (cap - 1);
        objSlotPut(OBJID(arr), j, assocs[i]);
    }
    return arr;
}

static Val dictionaryOf(ClassDef *dc, Val *assocs, int n)
{
    int id = instance(dc, 0);
    setIvar(id, dc, "tally", VINT(n));
    setIvar(id, dc, "array", hashedArrayOf(assocs, n));
    return VOBJ(id);
}

/* ---- method dictionaries ---- */
typedef struct {
    Val selector;
    int method;
} Entry;

static Val methodDictionary(Entry *e, int n)
{
    ClassDef *mdc = requireClass("MethodDictionary");
    int cap = 4, i, id;
    Val values;
    while (cap * 3 < n * 4 + 1) cap *= 2;
    id = newObj(mdc->id, F_VARIV, 2 + cap, 0);
    values = newArray(cap);
    objSlotPut(id, 0, VINT(n));
    objSlotPut(id, 1, values);
    for (i = 0; i < n; i++) {
        int j = (int)(obj(OBJID(e[i].selector))->hash & (uint32_t)(cap - 1));
        while (objSlot(id, 2 + j) != nilV) j = (j + 1) & (cap - 1);
        objSlotPut(id, 2 + j, e[i].selector);
        objSlotPut(OBJID(values), j, VOBJ(e[i].method));
    }
    return VOBJ(id);
}

static int compileAll(ClassDef *c, int meta, Vec *sources)
{
    Entry *e = NULL;
    int n = 0, i, k;
    for (i = 0; i < sources->count; i++) {
        Val sel;
        int id = compileMethod(c, meta, sources->items[i], &sel);
        if (id < 0) continue;
        for (k = 0; k < n; k++) if (e[k].selector == sel) break;
        if (k == n) { e = xrealloc(e, sizeof(Entry) * (size_t)(n + 1)); n++; }
        e[k].selector = sel;
        e[k].method = id;
    }
    objSlotPut(meta ? c->metaId : c->id, 1, methodDictionary(e, n));
    free(e);
    return n;
}

/* ---- checks of the layouts the VM relies on ---- */
static void checkLayouts(void)
{
    ClassDef *c;
    c = requireClass("Behavior");
    ivarIndex(c, "superclass", 0); ivarIndex(c, "methodDict", 1); ivarIndex(c, "format", 2);
    requireClass("Class");
    ivarIndex(requireClass("Metaclass"), "thisClass", -1);
    c = requireClass("Context");
    ivarIndex(c, "sender", 0); ivarIndex(c, "pc", 1); ivarIndex(c, "stackp", 2); ivarIndex(c, "method", 3);
    ivarIndex(c, "closureOrNil", 4); ivarIndex(c, "receiver", 5);
    if (c->spec != F_VARIV) fatal("Context must be a variableSubclass");
    c = requireClass("BlockClosure");
    ivarIndex(c, "outerContext", 0); ivarIndex(c, "startpc", 1); ivarIndex(c, "numArgs", 2);
    c = requireClass("FullBlockClosure");
    ivarIndex(c, "receiver", 3);
    if (c->spec != F_VARIV) fatal("FullBlockClosure must be a variableSubclass");
    c = requireClass("ProcessorScheduler");
    ivarIndex(c, "quiescentProcessLists", 0); ivarIndex(c, "activeProcess", 1);
    c = requireClass("LinkedList");
    ivarIndex(c, "firstLink", 0); ivarIndex(c, "lastLink", 1);
    c = requireClass("Semaphore");
    ivarIndex(c, "excessSignals", 2);
    c = requireClass("Process");
    ivarIndex(c, "nextLink", 0); ivarIndex(c, "suspendedContext", 1); ivarIndex(c, "priority", 2); ivarIndex(c, "myList", 3);
    c = requireClass("Association");
    ivarIndex(c, "key", 0); ivarIndex(c, "value", 1);
    c = requireClass("Message");
    ivarIndex(c, "selector", 0); ivarIndex(c, "args", 1);
    c = requireClass("Point");
    ivarIndex(c, "x", 0); ivarIndex(c, "y", 1);
    c = requireClass("MethodDictionary");
    ivarIndex(c, "tally", 0); ivarIndex(c, "array", 1);
    if (c->spec != F_VARIV) fatal("MethodDictionary must be a variableSubclass");
    if (requireClass("CompiledMethod")->spec != F_METHOD || requireClass("CompiledBlock")->spec != F_METHOD)
        fatal("CompiledMethod and CompiledBlock must be variableByteSubclasses of CompiledCode");
    if (requireClass("SmallInteger")->spec != F_IMMEDIATE || requireClass("Character")->spec != F_IMMEDIATE)
        fatal("SmallInteger and Character must be immediateSubclasses");
    requireClass("UndefinedObject"); requireClass("True"); requireClass("False");
    requireClass("Array"); requireClass("ByteArray"); requireClass("ByteString"); requireClass("Symbol");
    requireClass("LargePositiveInteger"); requireClass("LargeNegativeInteger"); requireClass("SystemDictionary");
    if (!findClass("Float") && !findClass("BoxedFloat64")) fatal("the kernel defines no Float class");
}

static Val stringArray(char **names, int n)
{
    Val a;
    int i;
    if (n == 0) return newArray(0);
    a = newArray(n);
    for (i = 0; i < n; i++) objSlotPut(OBJID(a), i, newString(names[i], (int)strlen(names[i])));
    return a;
}

static const char *primErrNames[] = {
    NULL, "bad receiver", "bad argument", "bad index", "bad number of arguments", "inappropriate operation",
    "unsupported operation", "no modification", "insufficient object memory", "insufficient C memory", "not found",
    "bad method", "internal error in named primitive machinery", "object may move", "resource limit exceeded",
    "object is pinned", "primitive write beyond end of object", "object moved", "object not pinned", "callback error",
    "operating system error", "ffi exception", "need compaction", "operation failed"
};

int buildImageObjects(void)
{
    int i, k, nilId, falseId, trueId, rootsId, npages, firstPage;
    ClassDef *classClass, *metaClass, *sysDict;
    Val *assocs;
    int nassocs = 0;
    Val doitArray, bootDoItsBinding, startSel;
    int startMethod, ctx, proc, sched, lists;

    checkLayouts();
    assignIndices();
    classClass = requireClass("Class");
    metaClass = requireClass("Metaclass");

    /* the memory manager's objects */
    nilId = newObj(requireClass("UndefinedObject")->id, F_ZERO, 0, 0);
    nilV = VOBJ(nilId);
    falseId = newObj(-1, F_ZERO, 0, 0);
    trueId = newObj(-1, F_ZERO, 0, 0);
    falseV = VOBJ(falseId);
    trueV = VOBJ(trueId);
    k = newObj(-1, wordBytes == 8 ? F_64 : F_32, 0, wordBytes * 8 * wordBytes);   /* free lists: one per word bit */
    obj(k)->classIndex = wordBytes == 8 ? 19 : 18;
    rootsId = newObj(-1, F_VAR, 4096 + 8, 0);
    obj(rootsId)->classIndex = 16;
    /* empty object stacks at hidden roots 4096-4098 (mark stack, weakling stack, mourn queue), as
     * Open-Smalltalk-VM keeps them: its marker, made to allocate them during a collection that
     * meets ephemerons, overwrites its list of unscanned ephemerons */
    for (i = 0; i < 3; i++) {
        k = newObj(-1, wordBytes == 8 ? F_64 : F_32, 0, 4092 * wordBytes);
        obj(k)->classIndex = wordBytes == 8 ? 19 : 18;
        obj(k)->bytes[wordBytes] = (uint8_t)((4096 + i) & 0xFF);    /* the page's root index */
        obj(k)->bytes[wordBytes + 1] = (uint8_t)((4096 + i) >> 8);
        objSlotPut(rootsId, 4096 + i, VOBJ(k));
    }
    /* at least two pages, as Open-Smalltalk-VM's memory manager expects (its debug build asserts it) */
    npages = (classTableMax >> 10) + 1;
    if (npages < 2) npages = 2;
    firstPage = heapCount;
    for (i = 0; i < npages; i++) {
        k = newObj(-1, F_VAR, 1024, 0);
        obj(k)->classIndex = 16;
        objSlotPut(rootsId, i, VOBJ(k));
    }

    /* classes and metaclasses */
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        c->id = newObj(-1, F_FIXED, metaInstSize(c), 0);
        c->metaId = newObj(-1, F_FIXED, classInstSize(metaClass), 0);
        obj(c->id)->hash = (uint32_t)c->index;
        obj(c->metaId)->hash = (uint32_t)c->metaIndex;
    }
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        obj(c->id)->cls = c->metaId;
        obj(c->metaId)->cls = metaClass->id;
        objSlotPut(firstPage + (c->index >> 10), c->index & 1023, VOBJ(c->id));
        objSlotPut(firstPage + (c->metaIndex >> 10), c->metaIndex & 1023, VOBJ(c->metaId));
    }
    /* the puns filled as Open-Smalltalk-VM's images have them: SmallInteger again at 3 (its odd
     * tag on 32 bits), Array at 16, the class of the hidden roots and class table pages (its
     * collector takes the class of every object it marks, those included) */
    objSlotPut(firstPage, 3, VOBJ(requireClass("SmallInteger")->id));
    objSlotPut(firstPage, 16, VOBJ(requireClass("Array")->id));
    obj(nilId)->cls = requireClass("UndefinedObject")->id;
    obj(falseId)->cls = requireClass("False")->id;
    obj(trueId)->cls = requireClass("True")->id;
    symbolClassId = requireClass("Symbol")->id;
    stringClassId = requireClass("ByteString")->id;
    arrayClassId = requireClass("Array")->id;

    /* the system dictionary, bindings, class variables */
    sysDict = requireClass("SystemDictionary");
    smalltalkV = VOBJ(instance(sysDict, 0));
    assocs = xmalloc(sizeof(Val) * (size_t)(classes.count + nglobals + 8));
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        c->binding = association(symbolNamed(c->name), VOBJ(c->id));
        c->metaBinding = association(nilV, VOBJ(c->metaId));
        assocs[nassocs++] = c->binding;
        c->classVarBindings = xmalloc(sizeof(Val) * (size_t)(c->nclassVars + 1));
        for (k = 0; k < c->nclassVars; k++) c->classVarBindings[k] = association(symbolNamed(c->classVars[k]), nilV);
    }
    globalBinding("Smalltalk", 1);
    globalBinding("Processor", 1);
    globalBinding("BootDoIts", 1);
    for (i = 0; i < nglobals; i++) {
        if (findClass(globals[i].name)) {
            globals[i].binding = findClass(globals[i].name)->binding;
            continue;
        }
        globals[i].binding = association(symbolNamed(globals[i].name), nilV);
        assocs[nassocs++] = globals[i].binding;
    }
    globalsReady = 1;
    objSlotPut(OBJID(globalBinding("Smalltalk", 0)), 1, smalltalkV);
    processorBindingV = globalBinding("Processor", 0);
    bootDoItsBinding = globalBinding("BootDoIts", 0);

    /* class objects' slots */
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        int subs = 0, j;
        Val subArray;
        objSlotPut(c->id, 0, c->super ? VOBJ(c->super->id) : nilV);
        objSlotPut(c->id, 2, VINT(classFormatWord(c)));
        setIvar(c->id, classClass, "instanceVariables", c->nivars ? stringArray(c->ivars, c->nivars) : nilV);
        setIvar(c->id, classClass, "name", symbolNamed(c->name));
        setIvar(c->id, classClass, "category", symbolNamed(c->category));
        setIvar(c->id, classClass, "environment", smalltalkV);
        if (c->nclassVars) setIvar(c->id, classClass, "classPool", dictionaryOf(requireClass("Dictionary"), c->classVarBindings, c->nclassVars));
        for (j = 0; j < classes.count; j++) if (((ClassDef *)classes.items[j])->super == c) subs++;
        subArray = newArray(subs);
        for (j = 0, subs = 0; j < classes.count; j++)
            if (((ClassDef *)classes.items[j])->super == c) objSlotPut(OBJID(subArray), subs++, VOBJ(((ClassDef *)classes.items[j])->id));
        setIvar(c->id, classClass, "subclasses", subArray);
        objSlotPut(c->metaId, 0, c->super ? VOBJ(c->super->metaId) : VOBJ(classClass->id));
        objSlotPut(c->metaId, 2, VINT((F_FIXED << 16) | metaInstSize(c)));
        setIvar(c->metaId, metaClass, "thisClass", VOBJ(c->id));
        setIvar(c->metaId, metaClass, "instanceVariables", c->nclassIvars ? stringArray(c->classIvars, c->nclassIvars) : nilV);
    }

    /* methods */
    for (i = 0; i < classes.count; i++) {
        ClassDef *c = classes.items[i];
        compileAll(c, 0, &c->methods);
        compileAll(c, 1, &c->classMethods);
    }
    doitArray = newArray(doits.count);
    for (i = 0; i < doits.count; i++) {
        int closure = compileDoIt(doits.items[i]);
        objSlotPut(OBJID(doitArray), i, closure >= 0 ? VOBJ(closure) : nilV);
    }
    objSlotPut(OBJID(bootDoItsBinding), 1, doitArray);
    setIvar(OBJID(smalltalkV), sysDict, "tally", VINT(nassocs));
    setIvar(OBJID(smalltalkV), sysDict, "array", hashedArrayOf(assocs, nassocs));
    free(assocs);
    if (errorCount()) return 1;

    /* the process that starts the image: Smalltalk startUp */
    startSel = symbolNamed("startUp");
    startMethod = -1;
    {
        ClassDef *c;
        for (c = sysDict; c && startMethod < 0; c = c->super) {
            Val md = objSlot(c->id, 1);
            int cap = obj(OBJID(md))->nslots - 2;
            for (k = 0; k < cap; k++)
                if (objSlot(OBJID(md), 2 + k) == startSel) startMethod = OBJID(objSlot(OBJID(objSlot(OBJID(md), 1)), k));
        }
    }
    if (startMethod < 0) fatal("the kernel defines no SystemDictionary>>startUp (the image's start-up method)");
    {
        Obj *m = obj(startMethod);
        int64_t header = INTVAL(m->slots[0]) + maxSmallInt() + 1;
        int numTemps = (int)((header >> 18) & 63), large = (int)((header >> 17) & 1);
        ClassDef *cc = requireClass("Context");
        ctx = newObj(cc->id, F_VARIV, 6 + (large ? 56 : 16), 0);
        objSlotPut(ctx, 1, VINT((int64_t)m->nslots * wordBytes + 1));
        objSlotPut(ctx, 2, VINT(numTemps));
        objSlotPut(ctx, 3, VOBJ(startMethod));
        objSlotPut(ctx, 5, smalltalkV);
    }
    proc = instance(requireClass("Process"), 0);
    objSlotPut(proc, 1, VOBJ(ctx));
    objSlotPut(proc, 2, VINT(40));
    setIvar(proc, requireClass("Process"), "name", newString("main", 4));
    sched = instance(requireClass("ProcessorScheduler"), 0);
    lists = OBJID(newArray(80));
    for (i = 0; i < 80; i++) objSlotPut(lists, i, VOBJ(instance(requireClass("LinkedList"), 0)));
    objSlotPut(sched, 0, VOBJ(lists));
    objSlotPut(sched, 1, VOBJ(proc));
    schedulerV = VOBJ(sched);
    objSlotPut(OBJID(processorBindingV), 1, schedulerV);

    /* the special objects array */
    {
        static const struct { int index; const char *cls; } specialClasses[] = {
            {4, "Bitmap"}, {5, "SmallInteger"}, {6, "ByteString"}, {7, "Array"}, {9, "Float"}, {10, "Context"},
            {12, "Point"}, {13, "LargePositiveInteger"}, {15, "Message"}, {16, "CompiledMethod"}, {18, "Semaphore"},
            {19, "Character"}, {26, "ByteArray"}, {27, "Process"}, {36, "BlockClosure"}, {37, "FullBlockClosure"},
            {42, "LargeNegativeInteger"}, {0, NULL}
        };
        int sp = OBJID(newArray(60)), ss, pe;
        specialsV = VOBJ(sp);
        objSlotPut(sp, 0, nilV);
        objSlotPut(sp, 1, falseV);
        objSlotPut(sp, 2, trueV);
        objSlotPut(sp, 3, processorBindingV);
        objSlotPut(sp, 8, smalltalkV);
        for (i = 0; specialClasses[i].cls; i++) {
            ClassDef *c = findClass(specialClasses[i].cls);
            if (specialClasses[i].index == 9 && findClass("BoxedFloat64")) c = findClass("BoxedFloat64");
            if (c) objSlotPut(sp, specialClasses[i].index, VOBJ(c->id));
        }
        objSlotPut(sp, 20, symbolNamed("doesNotUnderstand:"));
        objSlotPut(sp, 21, symbolNamed("cannotReturn:"));
        ss = OBJID(newArray(64));
        for (i = 0; i < 32; i++) {
            objSlotPut(ss, 2 * i, symbolNamed(specialSelectorName(i)));
            objSlotPut(ss, 2 * i + 1, VINT(specialSelectorNumArgs(i)));
        }
        objSlotPut(sp, 23, VOBJ(ss));
        objSlotPut(sp, 25, symbolNamed("mustBeBoolean"));
        objSlotPut(sp, 34, symbolNamed("cannotInterpret:"));
        objSlotPut(sp, 38, newArray(0));
        objSlotPut(sp, 48, symbolNamed("aboutToReturn:through:"));
        objSlotPut(sp, 49, symbolNamed("run:with:in:"));
        objSlotPut(sp, 50, symbolNamed("attemptToAssign:withIndex:"));
        pe = OBJID(newArray((int)(sizeof primErrNames / sizeof primErrNames[0])));
        for (i = 1; i < (int)(sizeof primErrNames / sizeof primErrNames[0]); i++) objSlotPut(pe, i, symbolNamed(primErrNames[i]));
        objSlotPut(sp, 51, VOBJ(pe));
        objSlotPut(sp, 52, symbolNamed("invokeCallbackContext:"));
    }

    /* last: the symbol table, once every symbol exists */
    {
        ClassDef *sc = requireClass("Symbol");
        for (i = 0; i < sc->nclassVars; i++) {
            if (!strcmp(sc->classVars[i], "SymbolTable")) {
                Val table = newArray(symbolCount);
                for (k = 0; k < symbolCount; k++) objSlotPut(OBJID(table), k, symbolAt(k));
                objSlotPut(OBJID(sc->classVarBindings[i]), 1, table);
            }
        }
    }
    return errorCount() ? 1 : 0;
}
