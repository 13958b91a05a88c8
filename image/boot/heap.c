/* The object heap being built: objects in creation order (the image's order), symbols
 * interned once, identity hashes from a fixed generator so that two builds are identical. */
#include <stdlib.h>
#include <string.h>

#include "boot.h"

Obj *heap;
int heapCount;
static int heapCap;
int wordBytes = 8;
Val nilV, falseV, trueV;

int newObj(int cls, int fmt, int nslots, int nbytes)
{
    Obj *o;
    int i;
    if (heapCount == heapCap) {
        heapCap = heapCap ? heapCap * 2 : 4096;
        heap = xrealloc(heap, sizeof(Obj) * (size_t)heapCap);
    }
    o = &heap[heapCount];
    memset(o, 0, sizeof *o);
    o->cls = cls;
    o->fmt = fmt;
    o->nslots = nslots;
    o->slots = nslots ? xmalloc(sizeof(Val) * (size_t)nslots) : NULL;
    for (i = 0; i < nslots; i++) o->slots[i] = nilV;
    o->nbytes = nbytes;
    o->bytes = nbytes ? xmalloc((size_t)nbytes) : NULL;
    if (nbytes) memset(o->bytes, 0, (size_t)nbytes);
    return heapCount++;
}

Obj *obj(int id)
{
    if (id < 0 || id >= heapCount) fatal("internal error: no object %d", id);
    return &heap[id];
}

Val objSlot(int id, int i)
{
    Obj *o = obj(id);
    if (i < 0 || i >= o->nslots) fatal("internal error: slot %d of object %d", i, id);
    return o->slots[i];
}

void objSlotPut(int id, int i, Val v)
{
    Obj *o = obj(id);
    if (i < 0 || i >= o->nslots) fatal("internal error: slot %d of object %d (%d slots)", i, id, o->nslots);
    o->slots[i] = v;
}

int64_t maxSmallInt(void) { return wordBytes == 8 ? (((int64_t)1 << 60) - 1) : (((int64_t)1 << 30) - 1); }
int isSmallIntValue(int64_t v) { return v <= maxSmallInt() && v >= -maxSmallInt() - 1; }

/* identity hashes: a Park-Miller sequence, as the VM's own, never 0 */
static uint32_t hashSeed = 12345;
uint32_t nextHash(void)
{
    uint32_t h;
    do {
        hashSeed = (uint32_t)(((uint64_t)hashSeed * 16807) % 2147483647);
        h = hashSeed & 0x3FFFFF;
    } while (h == 0);
    return h;
}
uint32_t lastHashValue(void) { return hashSeed; }

/* ---- symbols ---- */
typedef struct {
    char *name;
    int len;
    Val v;
} SymEntry;

static SymEntry *symTable;
static int symCap;
int symbolCount;
static Val *symOrder;
static int symOrderCap;
int symbolClassId = -1;

static uint32_t strHash(const char *s, int len)
{
    uint32_t h = 2166136261u;
    int i;
    for (i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static void symGrow(void)
{
    SymEntry *old = symTable;
    int oldCap = symCap, i;
    symCap = symCap ? symCap * 2 : 1024;
    symTable = xmalloc(sizeof(SymEntry) * (size_t)symCap);
    memset(symTable, 0, sizeof(SymEntry) * (size_t)symCap);
    for (i = 0; i < oldCap; i++) {
        if (old[i].name) {
            uint32_t j = strHash(old[i].name, old[i].len) & (uint32_t)(symCap - 1);
            while (symTable[j].name) j = (j + 1) & (uint32_t)(symCap - 1);
            symTable[j] = old[i];
        }
    }
    free(old);
}

Val symbolNamedLen(const char *name, int len)
{
    uint32_t j;
    int id;
    if (symbolClassId < 0) fatal("internal error: a symbol before class Symbol exists");
    if ((symbolCount + 1) * 2 > symCap) symGrow();
    j = strHash(name, len) & (uint32_t)(symCap - 1);
    while (symTable[j].name) {
        if (symTable[j].len == len && !memcmp(symTable[j].name, name, (size_t)len)) return symTable[j].v;
        j = (j + 1) & (uint32_t)(symCap - 1);
    }
    id = newObj(symbolClassId, F_8, 0, len);
    memcpy(obj(id)->bytes, name, (size_t)len);
    obj(id)->hash = nextHash();
    symTable[j].name = xstrndup(name, (size_t)len);
    symTable[j].len = len;
    symTable[j].v = VOBJ(id);
    if (symbolCount == symOrderCap) {
        symOrderCap = symOrderCap ? symOrderCap * 2 : 1024;
        symOrder = xrealloc(symOrder, sizeof(Val) * (size_t)symOrderCap);
    }
    symOrder[symbolCount++] = VOBJ(id);
    return VOBJ(id);
}

Val symbolNamed(const char *name) { return symbolNamedLen(name, (int)strlen(name)); }
Val symbolAt(int i) { return symOrder[i]; }

/* ---- strings and arrays ---- */
int stringClassId = -1, arrayClassId = -1;

Val newString(const char *s, int len)
{
    int id = newObj(stringClassId, F_8, 0, len);
    if (len) memcpy(obj(id)->bytes, s, (size_t)len);
    return VOBJ(id);
}

Val newArray(int n) { return VOBJ(newObj(arrayClassId, F_VAR, n, 0)); }
