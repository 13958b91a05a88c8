/* workload: rewrites headless.image (Spur 32-bit, V3PlusClosures) into a benchmark image whose
 * start-up DoIt first runs hand-assembled methods of a new class TalcBench, then logs
 *   workload <checksum>
 * through `System log:` (ConsolePlugin) before the image's own three lines.
 *
 *   workload [--loop L] [--fib F] [--deep D] [--deep-repeat R] [--nlr N] [--yield Y] IN OUT
 *
 * TalcBench (instance variables acc, arr, ticks; methods below) is run on an instance held as a
 * literal:
 *   run: n      arr := Array new: 100. acc := 0. s := 0. blk := [:x | x * 2 + 1].
 *               1 to: n: arr at: i\\100+1 put: i; s += arr at: i\\100+1; s += blk value: i;
 *               acc += i bitAnd: 7; s := s \\ 1000003.   ^s + acc
 *   fib: n      n < 2 ifTrue: [^1]. ^(self fib: n - 1) + (self fib: n - 2) + 1
 *   deep: n     n = 0 ifTrue: [^0]. ^(self deep: n - 1) + 1   (thousands of frames: stack pages
 *               overflow, their frames are divorced into contexts and returned through)
 *   nlr: k      self callBlock: [^k + 1]. ^0                  (a non-local return through a frame)
 *   callBlock: b  b value. ^nil
 *   bench       s := self run: L. s += self fib: F. R times: s += self deep: D.
 *               1 to: N: s := (s + (self nlr: j)) \\ 1000003.
 *               worker process resume. Y times: self yield.   ^s + ticks
 *   yield       <primitive: 167> (Processor yield; the receiver is ignored)
 *   worker      [true] whileTrue: [ticks := ticks + 1. self yield]: run by a second process of the
 *               same priority, made here, so each yield switches processes twice
 * The checksum and the bytecodes these methods execute are computed here, in C, independently of
 * any VM. Prints "expected: workload <checksum>" and "bytecodes: <count>" (the count leaves out
 * the image's own code: Array new:, printString, the log and start-up, a few hundred at most).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HeaderBytes 64

typedef struct {
    uint32_t oop, newOop, w0, w1, nslots;
    uint8_t *body;
} Obj;

static uint8_t *image;
static long imageSize;
static uint32_t oldBase, segBytes, specialsOop, nilOop, nextOop;
static Obj *objs;
static int nobjs, capobjs;

static void die(const char *m) { fprintf(stderr, "workload: %s\n", m); exit(2); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }
static uint32_t ciOf(const Obj *o) { return o->w0 & 0x3FFFFF; }
static uint32_t fmtOf(const Obj *o) { return (o->w0 >> 24) & 0x1F; }
static uint32_t slot(const Obj *o, uint32_t i) { return rd32(o->body + 4 * i); }
static void slotPut(Obj *o, uint32_t i, uint32_t v) { wr32(o->body + 4 * i, v); }
static uint32_t smallInt(int32_t v) { return ((uint32_t)v << 1) | 1; }

/* objects are kept in address order: new ones get addresses past the segment */
static Obj *newObj(uint32_t w0, uint32_t w1, uint32_t nslots, uint32_t oop)
{
    if (nobjs == capobjs) {
        capobjs = capobjs ? capobjs * 2 : 4096;
        objs = realloc(objs, sizeof *objs * (size_t)capobjs);
        if (!objs) die("out of memory");
    }
    Obj *o = &objs[nobjs++];
    *o = (Obj){oop ? oop : nextOop, 0, w0, w1, nslots, calloc(nslots ? nslots * 4 : 4, 1)};
    if (!oop) nextOop += 16;
    return o;
}

static Obj *find(uint32_t oop)
{
    int lo = 0, hi = nobjs - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (objs[mid].oop == oop) return &objs[mid];
        if (objs[mid].oop < oop) lo = mid + 1; else hi = mid - 1;
    }
    return NULL;
}
static Obj *deref(uint32_t oop) { Obj *o = (oop & 3) == 0 ? find(oop) : NULL; if (!o) die("unexpected object layout"); return o; }

static void load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    imageSize = ftell(f);
    fseek(f, 0, SEEK_SET);
    image = malloc((size_t)imageSize);
    if (!image || fread(image, 1, (size_t)imageSize, f) != (size_t)imageSize) die("cannot read the image");
    fclose(f);
    if (imageSize < HeaderBytes || rd32(image) != 6521) die("not a Spur 32-bit image (format 6521)");
    oldBase = rd32(image + 12);
    specialsOop = rd32(image + 16);
    segBytes = rd32(image + 48);
    if (HeaderBytes + (long)segBytes != imageSize) die("only single-segment images are handled");
    uint32_t a = 0;
    while (a < segBytes - 16) {
        const uint8_t *p = image + HeaderBytes + a;
        uint32_t n = rd32(p + 4) >> 24, at = a;
        if (n == 255) { n = rd32(p); at += 8; p += 8; }
        Obj *o = newObj(rd32(p), rd32(p + 4) & 0x00FFFFFF, n, oldBase + at);
        memcpy(o->body, p + 8, (size_t)n * 4);
        a = at + 8 + (n == 0 ? 8 : ((n * 4 + 7) & ~7u));
    }
    if (a != segBytes - 16) die("objects do not end at the final bridge");
    nilOop = objs[0].oop;
    nextOop = oldBase + segBytes + 0x1000000;
}

static uint32_t numPointerSlots(const Obj *o)
{
    uint32_t fmt = fmtOf(o);
    if (ciOf(o) == 0) return 0;
    if (fmt == 7) return 1;
    if (fmt <= 5) return o->nslots;
    if (fmt >= 24) return 1 + ((slot(o, 0) >> 1) & 0x7FFF);
    return 0;
}
static uint32_t splObj(uint32_t i) { return slot(find(specialsOop), i); }

static void writeImage(const char *path)
{
    uint32_t cursor = 0;
    for (int i = 0; i < nobjs; i++) {
        Obj *o = &objs[i];
        if (o->nslots >= 255) cursor += 8;
        o->newOop = oldBase + cursor;
        cursor += 8 + (o->nslots == 0 ? 8 : ((o->nslots * 4 + 7) & ~7u));
    }
    long outSize = HeaderBytes + cursor + 16;
    uint8_t *out = calloc((size_t)outSize, 1);
    if (!out) die("out of memory");
    memcpy(out, image, HeaderBytes);
    wr32(out + 8, cursor + 16);
    wr32(out + 48, cursor + 16);
    wr32(out + 16, find(specialsOop)->newOop);
    for (int i = 0; i < nobjs; i++) {
        Obj *o = &objs[i];
        uint8_t *p = out + HeaderBytes + (o->newOop - oldBase);
        if (o->nslots >= 255) { wr32(p - 8, o->nslots); wr32(p - 4, 0xFF000000u); }
        wr32(p, o->w0);
        wr32(p + 4, (o->w1 & 0x00FFFFFF) | ((o->nslots >= 255 ? 255u : o->nslots) << 24));
        memcpy(p + 8, o->body, (size_t)o->nslots * 4);
        /* free chunks and the free-lists object (the fourth) hold raw chunk addresses */
        uint32_t np = ciOf(o) == 0 || i == 3 ? o->nslots : numPointerSlots(o);
        for (uint32_t j = 0; j < np; j++) {
            uint32_t v = slot(o, j);
            if ((v & 3) != 0) continue;
            Obj *t = find(v);
            if (!t && np == numPointerSlots(o)) { fprintf(stderr, "workload: dangling reference %#x\n", v); exit(2); }
            wr32(p + 8 + 4 * j, t ? t->newOop : 0);
        }
    }
    memcpy(out + HeaderBytes + cursor, image + imageSize - 16, 16); /* the final bridge */
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(out, 1, (size_t)outSize, f) != (size_t)outSize || fclose(f) != 0) { perror(path); exit(2); }
    free(out);
}

/* ---- new objects ---- */
static uint32_t symbolCi, stringCi, methodW0;

static uint32_t newBytes(uint32_t ci, const char *s, uint32_t hash)
{
    uint32_t len = (uint32_t)strlen(s), n = (len + 3) / 4;
    Obj *o = newObj(((16 + n * 4 - len) << 24) | ci, hash, n, 0);
    memcpy(o->body, s, len);
    return o->oop;
}

static uint32_t findSymbol(const char *s)
{
    size_t len = strlen(s);
    for (int i = 0; i < nobjs; i++) {
        Obj *o = &objs[i];
        if (ciOf(o) == symbolCi && o->nslots * 4 - (fmtOf(o) & 3) == len && !memcmp(o->body, s, len)) return o->oop;
    }
    fprintf(stderr, "workload: no symbol #%s\n", s);
    exit(2);
}

/* a V3PlusClosures method: header, literals (selector and class binding last), bytecodes */
static uint32_t newMethod(int numArgs, int numTemps, const uint32_t *lits, int nlits, const uint8_t *code, int n)
{
    int total = 4 * (1 + nlits) + n, nslots = (total + 3) / 4;
    uint32_t fmt = 24 + (uint32_t)(nslots * 4 - total);
    Obj *o = newObj((methodW0 & ~0x1F000000u) | (fmt << 24), 0, (uint32_t)nslots, 0);
    slotPut(o, 0, smallInt(nlits | numTemps << 18 | numArgs << 24));
    for (int i = 0; i < nlits; i++) slotPut(o, (uint32_t)(1 + i), lits[i]);
    memcpy(o->body + 4 * (1 + nlits), code, (size_t)n);
    return o->oop;
}

/* ---- a tiny assembler: bytes, and long jumps to labels patched at the end ---- */
typedef struct {
    uint8_t b[512];
    int n, label[8], fix[8], fixLabel[8], nfix;
} Asm;
static void emit(Asm *a, int n, const int *bytes) { for (int i = 0; i < n; i++) a->b[a->n++] = (uint8_t)bytes[i]; }
#define E(a, ...) emit((a), (int)(sizeof((int[]){__VA_ARGS__}) / sizeof(int)), (int[]){__VA_ARGS__})
static void label(Asm *a, int l) { a->label[l] = a->n; }
/* op 0xA0 (jump, -1024..1023) or 0xAC (jump if false, 0..1023), two bytes */
static void jumpTo(Asm *a, int op, int l)
{
    E(a, op, 0);
    a->fix[a->nfix] = a->n;
    a->fixLabel[a->nfix++] = l;
}
static void resolve(Asm *a)
{
    for (int i = 0; i < a->nfix; i++) {
        int at = a->fix[i], off = a->label[a->fixLabel[i]] - at, op = a->b[at - 2];
        if (op == 0xA0) off += 1024; /* 160..167: ((b & 7) - 4) * 256 + b2 */
        if (off < 0 || off > 2047 || (op == 0xAC && off > 1023)) die("jump out of range");
        a->b[at - 2] = (uint8_t)(op + (off >> 8));
        a->b[at - 1] = (uint8_t)(off & 255);
    }
}

/* V3PlusClosures opcodes used below */
enum { PUSH_RCVR = 0x00, PUSH_TEMP = 0x10, PUSH_LIT = 0x20, PUSH_LITVAR = 0x40, POP_RCVR = 0x60, POP_TEMP = 0x68,
       SELF = 0x70, NIL = 0x73, ZERO = 0x75, ONE = 0x76, TWO = 0x77, RET_NIL = 0x7B, RET_TOP = 0x7C,
       BLOCK_RET = 0x7D, POP = 0x87, CLOSURE = 0x8F, JUMP_FALSE1 = 0x98, LJUMP = 0xA0, LJUMP_FALSE = 0xAC,
       ADD = 0xB0, SUB = 0xB1, LESS = 0xB2, LE = 0xB4, EQ = 0xB6, MUL = 0xB8, MOD = 0xBA, BITAND = 0xBE,
       AT = 0xC0, AT_PUT = 0xC1, VALUE = 0xC9, VALUE1 = 0xCA, NEW1 = 0xCD, SEND0 = 0xD0, SEND1 = 0xE0 };

/* ---- the model: what the methods compute and how many bytecodes they run ---- */
static uint64_t bytecodes;
static int32_t mFib(int32_t n) { if (n < 2) { bytecodes += 6; return 1; } bytecodes += 18; return mFib(n - 1) + mFib(n - 2) + 1; }
static int32_t mDeep(int32_t n) { if (n == 0) { bytecodes += 6; return 0; } bytecodes += 12; return mDeep(n - 1) + 1; }
static int32_t mRun(int32_t n)
{
    int32_t arr[100] = {0}, acc = 0, s = 0;
    bytecodes += 12 + 8;
    for (int32_t i = 1; i <= n; i++) {
        arr[i % 100] = i;
        s += arr[i % 100];
        s += i * 2 + 1;
        acc += i & 7;
        s %= 1000003;
        bytecodes += 50;
    }
    return s + acc;
}
static int32_t mNlr(int32_t k) { bytecodes += 10; return k + 1; }
static int32_t mBench(int32_t L, int32_t F, int32_t D, int32_t R, int32_t N, int32_t Y)
{
    int32_t s = mRun(L);
    s += mFib(F);
    bytecodes += 4 + 6 + 2;
    for (int32_t j = 1; j <= R; j++) { s += mDeep(D); bytecodes += 4 + 12; }
    bytecodes += 4 + 2;
    for (int32_t j = 1; j <= N; j++) { s = (s + mNlr(j)) % 1000003; bytecodes += 4 + 14; }
    bytecodes += 3 + 2 + 4 + 4;
    bytecodes += (uint64_t)Y * (12 + 8); /* each yield runs one turn of the worker's loop */
    return s + Y;
}

enum { SEL_RUN, SEL_FIB, SEL_DEEP, SEL_NLR, SEL_CALL, SEL_BENCH, SEL_YIELD, SEL_WORKER, NSEL };
static const char *const selNames[NSEL] = {"run:", "fib:", "deep:", "nlr:", "callBlock:", "bench", "yield", "worker"};

int main(int argc, char **argv)
{
    long L = 1000, F = 10, D = 100, R = 1, N = 100, Y = 10;
    int i;
    for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
        if (i + 1 >= argc) die("an option needs a value");
        long v = strtol(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--loop")) L = v;
        else if (!strcmp(argv[i], "--fib")) F = v;
        else if (!strcmp(argv[i], "--deep")) D = v;
        else if (!strcmp(argv[i], "--deep-repeat")) R = v;
        else if (!strcmp(argv[i], "--nlr")) N = v;
        else if (!strcmp(argv[i], "--yield")) Y = v;
        else die("usage: workload [--loop L] [--fib F] [--deep D] [--deep-repeat R] [--nlr N] [--yield Y] IN OUT");
    }
    if (argc - i != 2) die("usage: workload [options] IN OUT");
    /* SmallIntegers are 31 bits: keep every intermediate value well inside */
    if (L < 0 || L > 20000000 || F < 0 || F > 32 || D < 0 || D > 200000 || R < 0 || R > 10000 || N < 0 || N > 20000000 || Y < 0 || Y > 20000000)
        die("an option is out of range");
    load(argv[i]);

    /* the start-up DoIt: the method of the active process's suspended context */
    Obj *sched = deref(slot(deref(splObj(3)), 1)), *proc = deref(slot(sched, 1)), *ctx = deref(slot(proc, 1));
    uint32_t procOop = proc->oop, doitOop = slot(ctx, 3);
    Obj *doit = deref(doitOop);
    uint32_t dn = numPointerSlots(doit) - 1;
    if (dn < 4) die("unexpected start-up method");
    uint32_t systemAssoc = slot(doit, 1), startSel = slot(doit, 2);
    uint32_t doitSel = slot(doit, dn - 1), doitBinding = slot(doit, dn);
    methodW0 = doit->w0;
    symbolCi = ciOf(deref(startSel));
    stringCi = deref(splObj(6))->w1 & 0x3FFFFF;
    uint32_t arrayClass = splObj(7);

    /* class TalcBench: Object's layout, two instance variables, its own method dictionary */
    uint32_t object = arrayClass;
    while (slot(deref(object), 0) != nilOop) object = slot(deref(object), 0);
    Obj *roots = &objs[4]; /* the hidden roots: the class table's pages */
    uint32_t ci = 0;
    for (uint32_t k = 32; k < 4096 * 1024 && !ci; k++) {
        uint32_t pg = slot(roots, k >> 10);
        if (pg == nilOop) { k |= 1023; continue; }
        if (slot(deref(pg), k & 1023) == nilOop) ci = k;
    }
    if (!ci) die("no free class index");
    uint32_t arrayCi = ciOf(deref(specialsOop));
    uint32_t valuesOop = newObj((2u << 24) | arrayCi, 0, 32, 0)->oop;
    uint32_t dictW0 = deref(slot(deref(object), 1))->w0;
    Obj *dict = newObj(dictW0, 0, 34, 0);
    uint32_t dictOop = dict->oop;
    uint32_t nameOop = newBytes(symbolCi, "TalcBench", 0);
    Obj *objectClass = deref(object);
    Obj *cls = newObj(objectClass->w0, ci, objectClass->nslots, 0);
    objectClass = deref(object);
    memcpy(cls->body, objectClass->body, objectClass->nslots * 4);
    uint32_t clsOop = cls->oop;
    slotPut(cls, 0, object);
    slotPut(cls, 1, dictOop);
    slotPut(cls, 2, smallInt(1 << 16 | 3)); /* fixed pointers, three instance variables */
    for (uint32_t k = 3; k < cls->nslots; k++) {
        Obj *s = (slot(cls, k) & 3) == 0 ? find(slot(cls, k)) : NULL;
        if (s && ciOf(s) == symbolCi) slotPut(cls, k, nameOop); /* the name slot */
    }
    roots = &objs[4];
    slotPut(deref(slot(roots, ci >> 10)), ci & 1023, clsOop);
    Obj *inst = newObj((1u << 24) | ci, 0, 3, 0);
    slotPut(inst, 0, nilOop);
    slotPut(inst, 1, nilOop);
    slotPut(inst, 2, smallInt(0));
    uint32_t instOop = inst->oop;
    Obj *b = newObj(deref(doitBinding)->w0, 0, 2, 0);
    slotPut(b, 0, nameOop);
    slotPut(b, 1, clsOop);
    uint32_t binding = b->oop;

    /* selectors, each hashed to its own dictionary slot (k + 1) for the hashed lookup */
    uint32_t sels[NSEL], meths[NSEL];
    for (int k = 0; k < NSEL; k++) sels[k] = newBytes(symbolCi, selNames[k], (uint32_t)k + 1);

    Asm a;
    /* run: n -- temps n i s blk; literals Array 100 7 1000003 */
    {
        enum { LArray, L100, L7, LM, LSel, LBind, NL };
        uint32_t lits[NL] = {arrayClass, smallInt(100), smallInt(7), smallInt(1000003), sels[SEL_RUN], binding};
        memset(&a, 0, sizeof a);
        E(&a, PUSH_LIT + LArray, PUSH_LIT + L100, NEW1, POP_RCVR + 1, ZERO, POP_RCVR + 0, ZERO, POP_TEMP + 2);
        E(&a, CLOSURE, 0x01, 0, 6, PUSH_TEMP + 0, TWO, MUL, ONE, ADD, BLOCK_RET, POP_TEMP + 3);
        E(&a, ONE, POP_TEMP + 1);
        label(&a, 0);
        E(&a, PUSH_TEMP + 1, PUSH_TEMP + 0, LE);
        jumpTo(&a, LJUMP_FALSE, 1);
        E(&a, PUSH_RCVR + 1, PUSH_TEMP + 1, PUSH_LIT + L100, MOD, ONE, ADD, PUSH_TEMP + 1, AT_PUT, POP);
        E(&a, PUSH_TEMP + 2, PUSH_RCVR + 1, PUSH_TEMP + 1, PUSH_LIT + L100, MOD, ONE, ADD, AT, ADD, POP_TEMP + 2);
        E(&a, PUSH_TEMP + 2, PUSH_TEMP + 3, PUSH_TEMP + 1, VALUE1, ADD, POP_TEMP + 2);
        E(&a, PUSH_RCVR + 0, PUSH_TEMP + 1, PUSH_LIT + L7, BITAND, ADD, POP_RCVR + 0);
        E(&a, PUSH_TEMP + 2, PUSH_LIT + LM, MOD, POP_TEMP + 2);
        E(&a, PUSH_TEMP + 1, ONE, ADD, POP_TEMP + 1);
        jumpTo(&a, LJUMP, 0);
        label(&a, 1);
        E(&a, PUSH_TEMP + 2, PUSH_RCVR + 0, ADD, RET_TOP);
        resolve(&a);
        meths[SEL_RUN] = newMethod(1, 4, lits, NL, a.b, a.n);
    }
    /* fib: n */
    {
        uint32_t lits[] = {sels[SEL_FIB], sels[SEL_FIB], binding};
        memset(&a, 0, sizeof a);
        E(&a, PUSH_TEMP, TWO, LESS, JUMP_FALSE1 + 1, ONE, RET_TOP);
        E(&a, SELF, PUSH_TEMP, ONE, SUB, SEND1 + 0, SELF, PUSH_TEMP, TWO, SUB, SEND1 + 0, ADD, ONE, ADD, RET_TOP);
        meths[SEL_FIB] = newMethod(1, 1, lits, 3, a.b, a.n);
    }
    /* deep: n */
    {
        uint32_t lits[] = {sels[SEL_DEEP], sels[SEL_DEEP], binding};
        memset(&a, 0, sizeof a);
        E(&a, PUSH_TEMP, ZERO, EQ, JUMP_FALSE1 + 1, ZERO, RET_TOP);
        E(&a, SELF, PUSH_TEMP, ONE, SUB, SEND1 + 0, ONE, ADD, RET_TOP);
        meths[SEL_DEEP] = newMethod(1, 1, lits, 3, a.b, a.n);
    }
    /* nlr: k -- the block copies k and returns k + 1 from nlr: itself */
    {
        uint32_t lits[] = {sels[SEL_CALL], sels[SEL_NLR], binding};
        memset(&a, 0, sizeof a);
        E(&a, SELF, PUSH_TEMP, CLOSURE, 0x10, 0, 4, PUSH_TEMP, ONE, ADD, RET_TOP, SEND1 + 0, POP, ZERO, RET_TOP);
        meths[SEL_NLR] = newMethod(1, 1, lits, 3, a.b, a.n);
    }
    /* callBlock: b */
    {
        uint32_t lits[] = {sels[SEL_CALL], binding};
        memset(&a, 0, sizeof a);
        E(&a, PUSH_TEMP, VALUE, POP, RET_NIL);
        meths[SEL_CALL] = newMethod(1, 1, lits, 2, a.b, a.n);
    }
    /* yield: the yield primitive (167); the receiver is ignored */
    {
        uint32_t lits[] = {sels[SEL_YIELD], binding};
        static const uint8_t code[] = {0x8B, 167, 0, RET_NIL};
        uint32_t m = newMethod(0, 0, lits, 2, code, (int)sizeof code);
        Obj *o = find(m);
        slotPut(o, 0, slot(o, 0) | smallInt(0x10000)); /* has a primitive */
        meths[SEL_YIELD] = m;
    }
    /* worker: [true] whileTrue: [ticks := ticks + 1. self yield] -- run by a second process */
    uint32_t workerProc;
    {
        uint32_t lits[] = {sels[SEL_YIELD], sels[SEL_WORKER], binding};
        memset(&a, 0, sizeof a);
        label(&a, 0);
        E(&a, PUSH_RCVR + 2, ONE, ADD, POP_RCVR + 2, SELF, SEND0 + 0, POP);
        jumpTo(&a, LJUMP, 0);
        resolve(&a);
        meths[SEL_WORKER] = newMethod(0, 0, lits, 3, a.b, a.n);
        /* a process like the active one (same priority), suspended at the worker's first bytecode */
        Obj *c0 = find(slot(find(procOop), 1));
        uint32_t ctxW0 = c0->w0, ctxSlots = c0->nslots;
        Obj *c = newObj(ctxW0, 0, ctxSlots, 0);
        for (uint32_t k = 0; k < ctxSlots; k++) slotPut(c, k, nilOop);
        slotPut(c, 1, smallInt(4 * (1 + 3) + 1));
        slotPut(c, 2, smallInt(0));
        slotPut(c, 3, meths[SEL_WORKER]);
        slotPut(c, 5, instOop);
        uint32_t cOop = c->oop;
        Obj *p0 = find(procOop);
        uint32_t pW0 = p0->w0, pSlots = p0->nslots;
        Obj *p = newObj(pW0, 0, pSlots, 0);
        p0 = find(procOop);
        memcpy(p->body, p0->body, pSlots * 4);
        slotPut(p, 0, nilOop);
        slotPut(p, 1, cOop);
        slotPut(p, 3, nilOop);
        workerProc = p->oop;
    }
    /* bench -- temps s j */
    {
        enum { LRun, LFib, LDeep, LNlr, LL, LF, LD, LR, LN, LM, LProc, LResume, LYield, LY, LSel, LBind, NL };
        uint32_t lits[NL] = {sels[SEL_RUN], sels[SEL_FIB], sels[SEL_DEEP], sels[SEL_NLR], smallInt((int32_t)L),
                             smallInt((int32_t)F), smallInt((int32_t)D), smallInt((int32_t)R), smallInt((int32_t)N),
                             smallInt(1000003), workerProc, findSymbol("resume"), sels[SEL_YIELD],
                             smallInt((int32_t)Y), sels[SEL_BENCH], binding};
        memset(&a, 0, sizeof a);
        E(&a, SELF, PUSH_LIT + LL, SEND1 + LRun, POP_TEMP + 0);
        E(&a, PUSH_TEMP + 0, SELF, PUSH_LIT + LF, SEND1 + LFib, ADD, POP_TEMP + 0);
        E(&a, ONE, POP_TEMP + 1);
        label(&a, 0);
        E(&a, PUSH_TEMP + 1, PUSH_LIT + LR, LE);
        jumpTo(&a, LJUMP_FALSE, 1);
        E(&a, PUSH_TEMP + 0, SELF, PUSH_LIT + LD, SEND1 + LDeep, ADD, POP_TEMP + 0, PUSH_TEMP + 1, ONE, ADD, POP_TEMP + 1);
        jumpTo(&a, LJUMP, 0);
        label(&a, 1);
        E(&a, ONE, POP_TEMP + 1);
        label(&a, 2);
        E(&a, PUSH_TEMP + 1, PUSH_LIT + LN, LE);
        jumpTo(&a, LJUMP_FALSE, 3);
        E(&a, PUSH_TEMP + 0, SELF, PUSH_TEMP + 1, SEND1 + LNlr, ADD, PUSH_LIT + LM, MOD, POP_TEMP + 0);
        E(&a, PUSH_TEMP + 1, ONE, ADD, POP_TEMP + 1);
        jumpTo(&a, LJUMP, 2);
        label(&a, 3);
        E(&a, PUSH_LIT + LProc, SEND0 + LResume, POP, ONE, POP_TEMP + 1);
        label(&a, 4);
        E(&a, PUSH_TEMP + 1, PUSH_LIT + LY, LE);
        jumpTo(&a, LJUMP_FALSE, 5);
        E(&a, SELF, SEND0 + LYield, POP, PUSH_TEMP + 1, ONE, ADD, POP_TEMP + 1);
        jumpTo(&a, LJUMP, 4);
        label(&a, 5);
        E(&a, PUSH_TEMP + 0, PUSH_RCVR + 2, ADD, RET_TOP);
        resolve(&a);
        meths[SEL_BENCH] = newMethod(0, 2, lits, NL, a.b, a.n);
    }
    dict = find(dictOop);
    Obj *values = find(valuesOop);
    for (uint32_t k = 0; k < 34; k++) slotPut(dict, k, nilOop);
    for (uint32_t k = 0; k < 32; k++) slotPut(values, k, nilOop);
    slotPut(dict, 0, smallInt(NSEL));
    slotPut(dict, 1, valuesOop);
    for (int k = 0; k < NSEL; k++) {
        slotPut(dict, 2 + (uint32_t)k + 1, sels[k]);
        slotPut(values, (uint32_t)k + 1, meths[k]);
    }

    /* the DoIt: System log: 'workload ' , TalcBench-instance bench printString. ^System start */
    {
        uint32_t lits[] = {systemAssoc, newBytes(stringCi, "workload ", 0), instOop, sels[SEL_BENCH],
                           findSymbol("printString"), findSymbol(","), findSymbol("log:"), startSel, doitSel, doitBinding};
        static const uint8_t code[] = {0x40, 0x21, 0x22, 0xD3, 0xD4, 0xE5, 0xE6, 0x87, 0x40, 0xD7, 0x7C};
        int nl = (int)(sizeof lits / sizeof lits[0]);
        doit = find(doitOop);
        uint32_t header = slot(doit, 0);
        Obj *nd = find(newMethod(0, 0, lits, nl, code, (int)sizeof code));
        slotPut(nd, 0, (header & ~(0x7FFFu << 1)) | (uint32_t)nl << 1); /* the DoIt's own header, new count */
        doit = find(doitOop);
        free(doit->body);
        doit->body = nd->body;
        doit->nslots = nd->nslots;
        doit->w0 = nd->w0;
        nd->body = calloc(4, 1);
        nd->nslots = 0;
        nd->w0 = 0; /* left as a free chunk */
        ctx = find(slot(find(procOop), 1));
        slotPut(ctx, 1, smallInt(4 * (1 + nl) + 1)); /* pc: the first bytecode */
    }
    writeImage(argv[i + 1]);
    int32_t sum = mBench((int32_t)L, (int32_t)F, (int32_t)D, (int32_t)R, (int32_t)N, (int32_t)Y);
    printf("expected: workload %d\nbytecodes: %llu\n", sum, (unsigned long long)bytecodes);
    return 0;
}
