/* sista_convert: rewrites a Spur 32-bit image (one segment) so that its V3PlusClosures methods
 * use the Sista V1 bytecode set, for tests/sista/run.sh.
 *
 *   sista_convert [options] IN OUT
 *     --select all|even|odd   which CompiledMethods to convert (by their order in the heap;
 *                             even/odd leave the others in V3PlusClosures: mixed sets)   [all]
 *     --wide                  extended encodings wherever Sista has them: 2-byte pushes/stores,
 *                             0xEA sends, jumps as extB + 0xED/0xEE/0xEF, 0xFA closures with extA
 *                             and extB, super sends as directed super sends (0xEB, extB >= 64)
 *     --full-blocks           embedded blocks become CompiledBlocks pushed by 0xF9 as
 *                             FullBlockClosures (classes FullBlockClosure, with value and value:
 *                             on primitive 207, and CompiledBlock are added to the image and to
 *                             the special objects array)
 *     --self-test             add System class>>sistaSelfTest (hand-assembled Sista, see
 *                             addSelfTest) and make the start-up DoIt log its answer first
 *     --break-check           the same with a wrong expected value in check 1 (it must fail)
 *     --no-sign-bit           encode in Sista but leave the header sign bit clear (a negative
 *                             control: the VM must then fail to run the converted methods)
 *     -v                      list each converted method
 *
 * Methods are re-encoded instruction by instruction (jumps and block sizes recomputed), so they
 * may grow: every object is laid out again and every reference relocated; new objects go at the
 * end of the segment. Integer and Character literals pushed by a method become 0xE8 / 0xE9
 * pushes (with extB when needed). The method's trailer (the bytes after its last reachable
 * bytecode) is kept. Prints "converted N methods, B blocks, S startup".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HeaderBytes 64
#define HeaderLargeFrame 0x20000u
#define MaxIns 8192

typedef struct {
    uint32_t oldOop, newOop;
    uint32_t w0, w1;          /* base header words; numSlots byte is recomputed on write */
    uint32_t nslots;
    uint8_t *body;            /* nslots * 4 bytes */
} Obj;

static uint8_t *image;
static long imageSize;
static uint32_t oldBase, segBytes, specialsOop, nilOop;
static Obj *objs;
static int nobjs, capobjs;
static uint32_t nextVirtual;

static int special24IsNotIdentical;   /* V3's byte 200 sends special selector 24: ~~ in this image? */
static int optWide, optFull, optNoSign, optVerbose, optSelfTest, optBreakCheck;
static const char *optSelect = "all";

static void die(const char *msg) { fprintf(stderr, "sista_convert: %s\n", msg); exit(2); }

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

static uint32_t ciOf(Obj *o) { return o->w0 & 0x3FFFFF; }
static uint32_t fmtOf(Obj *o) { return (o->w0 >> 24) & 0x1F; }
static uint32_t slotOf(Obj *o, uint32_t i) { return rd32(o->body + 4 * i); }
static void slotPut(Obj *o, uint32_t i, uint32_t v) { wr32(o->body + 4 * i, v); }
static int isPtr(uint32_t v) { return (v & 3) == 0; }

static Obj *newObj(uint32_t w0, uint32_t w1, uint32_t nslots)
{
    Obj *o;
    if (nobjs == capobjs) {
        capobjs = capobjs ? capobjs * 2 : 4096;
        objs = realloc(objs, sizeof(Obj) * (size_t)capobjs);
        if (!objs) die("out of memory");
    }
    o = &objs[nobjs++];
    memset(o, 0, sizeof *o);
    o->w0 = w0;
    o->w1 = w1;
    o->nslots = nslots;
    o->body = calloc(nslots ? nslots * 4 : 4, 1);
    o->oldOop = nextVirtual;
    nextVirtual += 16;
    return o;
}

static Obj *find(uint32_t oop)
{
    int lo = 0, hi = nobjs - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (objs[mid].oldOop == oop) return &objs[mid];
        if (objs[mid].oldOop < oop) lo = mid + 1; else hi = mid - 1;
    }
    return NULL;
}

static Obj *deref(uint32_t oop) { return isPtr(oop) ? find(oop) : NULL; }

static void load(const char *path)
{
    FILE *f = fopen(path, "rb");
    long a;
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    imageSize = ftell(f);
    fseek(f, 0, SEEK_SET);
    image = malloc((size_t)imageSize);
    if (!image || fread(image, 1, (size_t)imageSize, f) != (size_t)imageSize) die("cannot read the image");
    fclose(f);
    if (imageSize < HeaderBytes || rd32(image) != 6521 || rd32(image + 4) != HeaderBytes) die("not a Spur 32-bit image (format 6521)");
    oldBase = rd32(image + 12);
    specialsOop = rd32(image + 16);
    segBytes = rd32(image + 48);
    if (HeaderBytes + (long)segBytes != imageSize) die("only single-segment images are handled");
    for (a = 0; a < (long)segBytes - 16;) {
        const uint8_t *p = image + HeaderBytes + a;
        uint32_t n = rd32(p + 4) >> 24, oop = (uint32_t)a;
        Obj *o;
        if (n == 255) { n = rd32(p); oop += 8; p += 8; }
        o = newObj(rd32(p), rd32(p + 4), n);
        o->oldOop = oldBase + oop;
        memcpy(o->body, p + 8, (size_t)n * 4);
        a = oop + 8 + (n == 0 ? 8 : ((n * 4 + 7) & ~7u));
    }
    if (a != (long)segBytes - 16) die("objects do not end at the final bridge");
    nilOop = objs[0].oldOop;
    nextVirtual = oldBase + segBytes + 0x1000000;
}

static uint32_t numPointerSlots(Obj *o)
{
    uint32_t fmt = fmtOf(o);
    if (ciOf(o) == 0) return 0;
    if (fmt == 7) return 1;
    if (fmt <= 5) return o->nslots;
    if (fmt >= 24) return 1 + ((uint32_t)((int32_t)slotOf(o, 0) >> 1) & 0x7FFF);
    return 0;
}

static uint32_t bytesOf(Obj *o)
{
    uint32_t fmt = fmtOf(o);
    if (fmt >= 24) return o->nslots * 4 - (fmt & 3);
    if (fmt >= 16) return o->nslots * 4 - (fmt & 3);
    return o->nslots * 4;
}

static uint32_t splObj(int i) { return slotOf(find(specialsOop), (uint32_t)i); }

static uint32_t classAtIndex(uint32_t ci)
{
    Obj *roots = &objs[4], *page;
    page = deref(slotOf(roots, ci >> 10));
    if (!page || page->oldOop == nilOop) return nilOop;
    return slotOf(page, ci & 1023);
}

/* the slot of a class that holds its name: its first Symbol-like slot after the format */
static int nameSlotOf(Obj *c)
{
    uint32_t i;
    Obj *s;
    for (i = 3; c && i < c->nslots; i++)
        if ((s = deref(slotOf(c, i))) && fmtOf(s) >= 16 && fmtOf(s) < 24) return (int)i;
    return -1;
}

/* a printable name for a class (or a metaclass: the name of the class it points to) */
static void className(uint32_t cls, char *out, size_t size)
{
    Obj *c = deref(cls), *name;
    int k = nameSlotOf(c);
    uint32_t i;
    snprintf(out, size, "?");
    if (!c) return;
    if (k >= 0) {
        name = deref(slotOf(c, (uint32_t)k));
        snprintf(out, size, "%.*s", (int)bytesOf(name), (char *)name->body);
        return;
    }
    for (i = 3; i < c->nslots; i++) {
        Obj *t = deref(slotOf(c, i));
        if (t && fmtOf(t) == 1 && t->nslots >= 3 && (k = nameSlotOf(t)) >= 0) {
            name = deref(slotOf(t, (uint32_t)k));
            snprintf(out, size, "%.*s class", (int)bytesOf(name), (char *)name->body);
            return;
        }
    }
}

static void methodName(Obj *m, char *out, size_t size)
{
    uint32_t n = numPointerSlots(m) - 1;
    char cls[200] = "?";
    Obj *sel = NULL, *binding;
    if (n >= 2) {
        sel = deref(slotOf(m, n - 1));
        if ((binding = deref(slotOf(m, n))) && binding->nslots >= 2) className(slotOf(binding, 1), cls, sizeof cls);
    }
    if (sel && fmtOf(sel) >= 16 && fmtOf(sel) < 24) snprintf(out, size, "%s>>%.*s", cls, (int)bytesOf(sel), (char *)sel->body);
    else snprintf(out, size, "%s>>?", cls);
}

/* ---- V3PlusClosures decoding ---- */
enum {
    PUSH_RCVR, PUSH_TEMP, PUSH_LIT, PUSH_LITVAR, POP_RCVR, POP_TEMP, POP_LITVAR, STORE_RCVR, STORE_TEMP,
    STORE_LITVAR, PUSH_SELF, PUSH_TRUE, PUSH_FALSE, PUSH_NIL, PUSH_INT, PUSH_CHAR, RET_SELF, RET_TRUE,
    RET_FALSE, RET_NIL, RET_TOP, BRET_TOP, SEND, SUPER, SPECIAL, POP, DUP, THISCTX, NEWARRAY, CALLPRIM,
    RPUSH, RSTORE, RPOP, CLOSURE, JUMP, JUMPT, JUMPF
};

typedef struct {
    int op, a, b, c;     /* operands; for jumps and closures a is the target's old pc */
    int oldPc, len, target;
    int unitPos;         /* position within its unit */
} Ins;

static Ins ins[MaxIns];
static int nins;

static int addIns(int op, int a, int b, int pc, int len)
{
    if (nins >= MaxIns) return 0;
    ins[nins].op = op; ins[nins].a = a; ins[nins].b = b; ins[nins].c = 0;
    ins[nins].oldPc = pc; ins[nins].len = len; ins[nins].target = -1;
    nins++;
    return 1;
}

/* decode from pc0 until the return that ends the method; returns the end pc, or -1 */
static int decodeV3(const uint8_t *code, int pc0, int limit)
{
    int pc = pc0, maxTarget = pc0, i, j;
    nins = 0;
    while (pc < limit) {
        int b = code[pc], b2 = pc + 1 < limit ? code[pc + 1] : -1, b3 = pc + 2 < limit ? code[pc + 2] : -1;
        int ok = 1, len = 1, t;
        if (b < 16) ok = addIns(PUSH_RCVR, b & 15, 0, pc, 1);
        else if (b < 32) ok = addIns(PUSH_TEMP, b & 15, 0, pc, 1);
        else if (b < 64) ok = addIns(PUSH_LIT, b & 31, 0, pc, 1);
        else if (b < 96) ok = addIns(PUSH_LITVAR, b & 31, 0, pc, 1);
        else if (b < 104) ok = addIns(POP_RCVR, b & 7, 0, pc, 1);
        else if (b < 112) ok = addIns(POP_TEMP, b & 7, 0, pc, 1);
        else if (b <= 115) ok = addIns(PUSH_SELF + (b - 112), 0, 0, pc, 1);
        else if (b <= 119) ok = addIns(PUSH_INT, b - 117, 0, pc, 1);
        else if (b <= 124) ok = addIns(RET_SELF + (b - 120), 0, 0, pc, 1);
        else if (b == 125) ok = addIns(BRET_TOP, 0, 0, pc, 1);
        else if (b <= 127) return -1;
        else if (b <= 130) {
            static const int ops[3][4] = {
                { PUSH_RCVR, PUSH_TEMP, PUSH_LIT, PUSH_LITVAR },
                { STORE_RCVR, STORE_TEMP, -1, STORE_LITVAR },
                { POP_RCVR, POP_TEMP, -1, POP_LITVAR } };
            int op;
            if (b2 < 0) return -1;
            op = ops[b - 128][b2 >> 6];
            if (op < 0) return -1;
            len = 2;
            ok = addIns(op, b2 & 63, 0, pc, 2);
        } else if (b == 131 || b == 133 || b == 134) {
            if (b2 < 0) return -1;
            len = 2;
            if (b == 134) ok = addIns(SEND, b2 & 63, b2 >> 6, pc, 2);
            else ok = addIns(b == 131 ? SEND : SUPER, b2 & 31, b2 >> 5, pc, 2);
        } else if (b == 132) {
            if (b3 < 0) return -1;
            len = 3;
            switch (b2 >> 5) {
            case 0: ok = addIns(SEND, b3, b2 & 31, pc, 3); break;
            case 1: ok = addIns(SUPER, b3, b2 & 31, pc, 3); break;
            case 2: ok = addIns(PUSH_RCVR, b3, 0, pc, 3); break;
            case 3: ok = addIns(PUSH_LIT, b3, 0, pc, 3); break;
            case 4: ok = addIns(PUSH_LITVAR, b3, 0, pc, 3); break;
            case 5: ok = addIns(STORE_RCVR, b3, 0, pc, 3); break;
            case 6: ok = addIns(POP_RCVR, b3, 0, pc, 3); break;
            default: ok = addIns(STORE_LITVAR, b3, 0, pc, 3); break;
            }
        } else if (b == 135) ok = addIns(POP, 0, 0, pc, 1);
        else if (b == 136) ok = addIns(DUP, 0, 0, pc, 1);
        else if (b == 137) ok = addIns(THISCTX, 0, 0, pc, 1);
        else if (b == 138) { if (b2 < 0) return -1; len = 2; ok = addIns(NEWARRAY, b2, 0, pc, 2); }
        else if (b == 139) { if (b3 < 0 || pc != pc0) return -1; len = 3; ok = addIns(CALLPRIM, b2, b3, pc, 3); }
        else if (b <= 142) {
            if (b3 < 0 || b3 > 127) return -1;
            len = 3;
            ok = addIns(RPUSH + (b - 140), b2, b3, pc, 3);
        } else if (b == 143) {
            if (pc + 3 >= limit) return -1;
            len = 4;
            t = pc + 4 + code[pc + 2] * 256 + code[pc + 3];
            ok = addIns(CLOSURE, t, b2 & 15, pc, 4);
            ins[nins - 1].c = b2 >> 4;
            if (t > maxTarget) maxTarget = t;
        } else if (b <= 151) { t = pc + 1 + (b & 7) + 1; ok = addIns(JUMP, t, 0, pc, 1); if (t > maxTarget) maxTarget = t; }
        else if (b <= 159) { t = pc + 1 + (b & 7) + 1; ok = addIns(JUMPF, t, 0, pc, 1); if (t > maxTarget) maxTarget = t; }
        else if (b <= 175) {
            if (b2 < 0) return -1;
            len = 2;
            if (b <= 167) t = pc + 2 + ((b & 7) - 4) * 256 + b2;
            else t = pc + 2 + (b & 3) * 256 + b2;
            ok = addIns(b <= 167 ? JUMP : b <= 171 ? JUMPT : JUMPF, t, 0, pc, 2);
            if (t > maxTarget) maxTarget = t;
        } else if (b <= 207) {
            if (b == 200 && !special24IsNotIdentical) return -1;   /* Sista's 0x78 is ~~ */
            ok = addIns(SPECIAL, b - 176, 0, pc, 1);
        } else ok = addIns(SEND, b & 15, (b - 208) >> 4, pc, 1);
        if (!ok) return -1;
        pc += len;
        if (b >= 120 && b <= 124 && pc > maxTarget) break;
    }
    if (pc > limit || nins == 0 || ins[nins - 1].op < RET_SELF || ins[nins - 1].op > RET_TOP) return -1;
    /* resolve jump and block targets to instruction indices */
    for (i = 0; i < nins; i++) {
        int op = ins[i].op;
        if (op != JUMP && op != JUMPT && op != JUMPF && op != CLOSURE) continue;
        for (j = 0; j < nins && ins[j].oldPc != ins[i].a; j++) {}
        if (j == nins) return -1;
        ins[i].target = j;
    }
    return pc;
}

/* ---- Sista V1 encoding ---- */
typedef struct { uint8_t b[16]; int n; } Code;

static void put(Code *c, int byte) { c->b[c->n++] = (uint8_t)byte; }

static void extA(Code *c, int v, int force)
{
    if (v > 255) { put(c, 0xE0); put(c, (v >> 8) & 255); }
    if (v > 0 || force) { put(c, 0xE0); put(c, v & 255); }
}

/* extB = v: one byte when it fits a signed byte, else a signed high byte and a low byte */
static void extB(Code *c, int v, int force)
{
    if (v == 0 && !force) return;
    if (v >= -128 && v <= 127) { put(c, 0xE1); put(c, v & 255); return; }
    put(c, 0xE1); put(c, (v >> 8) & 255);
    put(c, 0xE1); put(c, v & 255);
}

/* two-byte form with an 8-bit index (+ extA * 256) */
static void indexed(Code *c, int opcode, int i, int allowExtA)
{
    if (allowExtA) extA(c, i >> 8, 0);
    put(c, opcode);
    put(c, i & 255);
}

static int litRemapBase, litRemapBy;
static int remapLit(int i) { return i >= litRemapBase ? i + litRemapBy : i; }

static uint32_t curLits[MaxIns];   /* the literal frame being encoded against (new indices) */
static int curNumLits;
static int curBlockLit[MaxIns];    /* for CLOSURE instructions under --full-blocks: literal index */

/* the bytes for one instruction; offset = the jump distance to use (jumps and closures) */
static int encode(Ins *in, int offset, Code *c, int inFullBlockUnit)
{
    int W = optWide, i, n;
    (void)inFullBlockUnit;
    c->n = 0;
    switch (in->op) {
    case PUSH_RCVR: if (in->a < 16 && !W) put(c, in->a); else indexed(c, 0xE2, in->a, 1); break;
    case PUSH_TEMP: if (in->a < 12 && !W) put(c, 0x40 + in->a); else indexed(c, 0xE5, in->a, 0); break;
    case PUSH_LIT: {
        uint32_t lit;
        i = remapLit(in->a);
        lit = curLits[i];
        if ((lit & 3) == 1 && (int32_t)lit >> 1 >= -32768 && (int32_t)lit >> 1 <= 32767) {
            n = (int32_t)lit >> 1;
            if (!W && (n == 0 || n == 1)) put(c, 0x50 + n);
            else { extB(c, n >> 8, 0); put(c, 0xE8); put(c, n & 255); }
        } else if ((lit & 3) == 2 && (lit >> 2) < 32768) {
            n = (int)(lit >> 2);
            extB(c, n >> 8, 0); put(c, 0xE9); put(c, n & 255);
        } else if (i < 32 && !W) put(c, 0x20 + i);
        else indexed(c, 0xE4, i, 1);
        break;
    }
    case PUSH_LITVAR: i = remapLit(in->a); if (i < 16 && !W) put(c, 0x10 + i); else indexed(c, 0xE3, i, 1); break;
    case POP_RCVR: if (in->a < 8 && !W) put(c, 0xC8 + in->a); else indexed(c, 0xF0, in->a, 1); break;
    case POP_TEMP: if (in->a < 8 && !W) put(c, 0xD0 + in->a); else indexed(c, 0xF2, in->a, 0); break;
    case POP_LITVAR: indexed(c, 0xF1, remapLit(in->a), 1); break;
    case STORE_RCVR: indexed(c, 0xF3, in->a, 1); break;
    case STORE_TEMP: indexed(c, 0xF5, in->a, 0); break;
    case STORE_LITVAR: indexed(c, 0xF4, remapLit(in->a), 1); break;
    case PUSH_SELF: case PUSH_TRUE: case PUSH_FALSE: case PUSH_NIL: put(c, 0x4C + (in->op - PUSH_SELF)); break;
    case PUSH_INT:
        if (!W && (in->a == 0 || in->a == 1)) put(c, 0x50 + in->a);
        else { extB(c, in->a >> 8, 0); put(c, 0xE8); put(c, in->a & 255); }
        break;
    case RET_SELF: case RET_TRUE: case RET_FALSE: case RET_NIL: case RET_TOP: put(c, 0x58 + (in->op - RET_SELF)); break;
    case BRET_TOP: put(c, 0x5E); break;
    case SEND:
        i = remapLit(in->a);
        if (!W && i < 16 && in->b < 3) put(c, 0x80 + in->b * 16 + i);
        else { extA(c, i >> 5, 0); extB(c, in->b >> 3, 0); put(c, 0xEA); put(c, ((i & 31) << 3) | (in->b & 7)); }
        break;
    case SUPER:
        i = remapLit(in->a);
        if (W) {
            /* directed: push the method class (the value of the last literal), extB >= 64 */
            indexed(c, 0xE3, curNumLits - 1, 1);
            extA(c, i >> 5, 0);
            put(c, 0xE1); put(c, 64 + (in->b >> 3));
        } else {
            extA(c, i >> 5, 0);
            extB(c, in->b >> 3, 0);
        }
        put(c, 0xEB); put(c, ((i & 31) << 3) | (in->b & 7));
        break;
    case SPECIAL: put(c, 0x60 + in->a); break;
    case POP: put(c, 0xD8); break;
    case DUP: put(c, 0x53); break;
    case THISCTX: put(c, 0x52); break;
    case NEWARRAY: put(c, 0xE7); put(c, in->a); break;
    case CALLPRIM: put(c, 0xF8); put(c, in->a); put(c, in->b); break;
    case RPUSH: case RSTORE: case RPOP: put(c, 0xFB + (in->op - RPUSH)); put(c, in->a); put(c, in->b); break;
    case CLOSURE:
        if (optFull && curBlockLit[in - ins] >= 0) {
            i = curBlockLit[in - ins];
            extA(c, i >> 8, W);
            put(c, 0xF9);
            put(c, i & 255);
            put(c, in->c & 63);   /* outer context kept, receiver not on the stack */
            break;
        }
        {
            int a = in->b, cp = in->c, ea = (cp >> 3) * 16 + (a >> 3), eb = offset >> 8, ne = 0;
            if (ea || W) { extA(c, ea, W); ne++; }
            if (eb || W) { extB(c, eb, W); ne++; }
            put(c, 0xFA); put(c, (ne << 6) | ((cp & 7) << 3) | (a & 7)); put(c, offset & 255);
        }
        break;
    case JUMP:
        if (!W && offset >= 1 && offset <= 8) put(c, 0xB0 + offset - 1);
        else { extB(c, offset >> 8, W); put(c, 0xED); put(c, offset & 255); }
        break;
    case JUMPT: case JUMPF:
        if (!W && offset >= 1 && offset <= 8) put(c, (in->op == JUMPT ? 0xB8 : 0xC0) + offset - 1);
        else { extB(c, offset >> 8, W); put(c, in->op == JUMPT ? 0xEE : 0xEF); put(c, offset & 255); }
        break;
    default: return -1;
    }
    return c->n;
}

/* encode the unit made of the instruction indices list[0..n-1] into out; returns its size */
static int newPcOf[MaxIns];   /* after encodeUnit: each instruction's position in its unit */

static int encodeUnit(const int *list, int n, uint8_t *out, int full)
{
    static int size[MaxIns], pos[MaxIns + 1];
    int i, changed, total;
    Code c;
    for (i = 0; i < n; i++) { size[i] = 0; ins[list[i]].unitPos = i; }
    for (;;) {
        pos[0] = 0;
        for (i = 0; i < n; i++) pos[i + 1] = pos[i] + size[i];
        changed = 0;
        for (i = 0; i < n; i++) {
            Ins *in = &ins[list[i]];
            int off = 0, need;
            if (in->target >= 0 && !(in->op == CLOSURE && full && curBlockLit[list[i]] >= 0)) {
                int tp = in->target >= nins ? n : ins[in->target].unitPos;
                if (in->target < nins && (tp >= n || list[tp] != in->target)) return -1;
                off = pos[tp] - (pos[i] + size[i]);
                if (in->op != JUMP && off < 0) return -1;
            }
            need = encode(in, off, &c, full);
            if (need < 0) return -1;
            if (need > size[i]) { size[i] = need; changed = 1; }
        }
        if (!changed) break;
    }
    total = 0;
    for (i = 0; i < n; i++) {
        Ins *in = &ins[list[i]];
        int off = 0, k;
        if (in->target >= 0 && !(in->op == CLOSURE && full && curBlockLit[list[i]] >= 0)) {
            int tp = in->target >= nins ? n : ins[in->target].unitPos;
            off = pos[tp] - (pos[i] + size[i]);
        }
        encode(in, off, &c, full);
        newPcOf[list[i]] = total;
        for (k = c.n; k < size[i]; k++) out[total++] = 0x5F;   /* nop padding */
        memcpy(out + total, c.b, (size_t)c.n);
        total += c.n;
    }
    return total;
}

/* ---- building the new objects ---- */
static uint32_t fullBlockClassIndex, compiledBlockClassIndex;

static uint32_t smallInt(int32_t v) { return ((uint32_t)v << 1) | 1; }

static uint32_t headerOop(uint32_t value) { return ((value << 1) | 1) | (optNoSign ? 0 : 0x80000000u); }

/* a new CompiledMethod-format object with the given header value, literals and bytes */
static Obj *newCode(uint32_t w0proto, uint32_t w1proto, uint32_t classIndex, uint32_t header,
                    const uint32_t *lits, int numLits, const uint8_t *bytes, int nbytes)
{
    int total = 4 * (1 + numLits) + nbytes, nslots = (total + 3) / 4, i;
    uint32_t fmt = 24 + (uint32_t)(nslots * 4 - total);
    Obj *o = newObj((w0proto & ~0x1F3FFFFFu) | (fmt << 24) | classIndex, w1proto & 0x3FFFFF, (uint32_t)nslots);
    slotPut(o, 0, header);
    for (i = 0; i < numLits; i++) slotPut(o, (uint32_t)(1 + i), lits[i]);
    memcpy(o->body + 4 * (1 + numLits), bytes, (size_t)nbytes);
    return o;
}

static uint32_t newSymbol(uint32_t classIndex, const char *s)
{
    int len = (int)strlen(s), nslots = (len + 3) / 4;
    Obj *o = newObj(((16 + (uint32_t)(nslots * 4 - len)) << 24) | classIndex, 0, (uint32_t)nslots);
    memcpy(o->body, s, (size_t)len);
    return o->oldOop;
}

/* a copy of class proto (index protoIndex) under a new name, a new index, superclass proto,
 * an empty method dictionary and formatDelta more fixed fields */
static uint32_t newClassLike(uint32_t proto, const char *name, int formatDelta)
{
    Obj *p = deref(proto), *c, *dict, *arr, *nm, *roots = &objs[4], *page;
    uint32_t ci = 0, i, arrayCi = ciOf(find(specialsOop));
    if (!p || p->nslots < 3) die("unexpected class layout");
    /* a free class index in an existing class-table page */
    for (i = 32; i < 4096 * 1024 && !ci; i++) {
        Obj *pg = deref(slotOf(roots, i >> 10));
        if (!pg || pg->oldOop == nilOop) { i |= 1023; continue; }
        if (slotOf(pg, i & 1023) == nilOop) ci = i;
    }
    if (!ci) die("no free class index");
    dict = deref(slotOf(p, 1));
    if (!dict) die("class without a method dictionary");
    arr = newObj((2u << 24) | arrayCi, 0, 32);
    for (i = 0; i < 32; i++) slotPut(arr, i, nilOop);
    {
        uint32_t arrOop = arr->oldOop, dictW0 = dict->w0;
        Obj *d = newObj(dictW0, 0, 2 + 32);
        for (i = 0; i < 34; i++) slotPut(d, i, nilOop);
        slotPut(d, 0, smallInt(0));
        slotPut(d, 1, arrOop);
        dict = d;
    }
    {
        uint32_t dictOop = dict->oldOop;
        p = deref(proto);
        int k = nameSlotOf(p);
        nm = k >= 0 ? deref(slotOf(p, (uint32_t)k)) : NULL;
        uint32_t nameOop = nm ? newSymbol(ciOf(nm), name) : nilOop;
        p = deref(proto);
        c = newObj(p->w0, ci, p->nslots);
        p = deref(proto);
        memcpy(c->body, p->body, p->nslots * 4);
        slotPut(c, 0, proto);
        slotPut(c, 1, dictOop);
        slotPut(c, 2, slotOf(p, 2) + 2 * (uint32_t)formatDelta);
        if (k >= 0) slotPut(c, (uint32_t)k, nameOop);
    }
    roots = &objs[4];
    page = deref(slotOf(roots, ci >> 10));
    slotPut(page, ci & 1023, c->oldOop);
    return c->oldOop;
}

/* FullBlockClosure>>value and value: with Open-Smalltalk-VM's primitive 207, as Squeak's images
 * have them: the inherited BlockClosure>>value (201, 202) takes the old closure layout and fails
 * on a full block. Each is callPrimitive 207, then ^self; literals: the selector, nil. */
static void addFullBlockValueMethods(uint32_t fbc, uint32_t cmClass)
{
    static const uint8_t code[] = { 0xF8, 207, 0x00, 0x58 };
    uint32_t cmCi = deref(cmClass)->w1 & 0x3FFFFF, k;
    for (k = 0; k < 2; k++) {
        uint32_t sel = slotOf(deref(splObj(23)), 50 + 2 * k), lits[2], m, i;   /* #value, #value: */
        Obj *dict = deref(slotOf(deref(fbc), 1));
        uint32_t cap = dict->nslots - 2;
        lits[0] = sel;
        lits[1] = nilOop;
        m = newCode(0, 0, cmCi, headerOop(2 | 0x10000u | k << 24 | k << 18), lits, 2, code, sizeof code)->oldOop;
        dict = deref(slotOf(deref(fbc), 1));
        for (i = (deref(sel)->w1 & 0x3FFFFF) & (cap - 1); slotOf(dict, 2 + i) != nilOop; i = (i + 1) & (cap - 1)) {}
        slotPut(dict, 2 + i, sel);
        slotPut(dict, 0, slotOf(dict, 0) + 2);
        slotPut(deref(slotOf(dict, 1)), i, m);
    }
}

static int countFullBlocks, countRemappedPCs;
static uint32_t contextCi, closureCi;

/* contexts and closures of the saved image that run the method: their pcs must follow it */
static int isRefTo(Obj *o, uint32_t method, int *pcSlot)
{
    Obj *outer;
    if (ciOf(o) == contextCi && o->nslots > 4 && slotOf(o, 3) == method) { *pcSlot = 1; return 1; }
    if (ciOf(o) == closureCi && o->nslots > 2 && (outer = deref(slotOf(o, 0))) && ciOf(outer) == contextCi
        && outer->nslots > 4 && slotOf(outer, 3) == method) { *pcSlot = 1; return 2; }
    return 0;
}

static int blockRefsTo(uint32_t method)
{
    int i, slot, k;
    for (i = 0; i < nobjs; i++) {
        k = isRefTo(&objs[i], method, &slot);
        if (k == 2 || (k == 1 && slotOf(&objs[i], 4) != nilOop)) return 1;
    }
    return 0;
}

/* the new pc (1-based, from the object start) of old pc P, or 0 */
static uint32_t mapPC(uint32_t oldPcOop, int nl)
{
    int p, j;
    if ((oldPcOop & 1) == 0) return 0;
    p = ((int32_t)oldPcOop >> 1) - 1;
    for (j = 0; j < nins; j++)
        if (ins[j].oldPc == p) return smallInt(4 * (1 + nl) + newPcOf[j] + 1);
    return 0;
}

/* convert one method in place of objs[idx]; returns 1 if converted */
static int convertMethod(int idx)
{
    static uint8_t out[65536], blockOut[65536];
    static int list[MaxIns], blockList[MaxIns];
    static uint32_t newLits[MaxIns];
    Obj *m = &objs[idx];
    uint32_t hdr = slotOf(m, 0), hv = (uint32_t)((int32_t)hdr >> 1), n = hv & 0x7FFF;
    int nbytes = (int)bytesOf(m), start = 4 * (int)(1 + n), end, i, j, k = 0, nl = 0, size, nblocks = 0;
    uint32_t w0 = m->w0, w1 = m->w1, ci = ciOf(m);
    if ((int32_t)hdr < 0 || (hdr & 1) == 0) return 0;
    end = decodeV3(m->body, start, nbytes);
    if (end < 0) return 0;
    /* full blocks: one literal per block, inserted before the selector and the class binding */
    for (i = 0; i < nins; i++) curBlockLit[i] = -1;
    if (optFull && n >= 2 && !blockRefsTo(m->oldOop))
        for (i = 0; i < nins; i++) if (ins[i].op == CLOSURE) curBlockLit[i] = (int)n - 2 + k++;
    litRemapBase = (int)n - 2;
    litRemapBy = k;
    for (i = 0; i < (int)n; i++) {
        if (k && i == (int)n - 2) nl += k;
        newLits[nl++] = slotOf(m, (uint32_t)(1 + i));
    }
    memcpy(curLits, newLits, sizeof(uint32_t) * (size_t)nl);
    curNumLits = nl;
    /* the method's own unit: every instruction not inside a block made full */
    {
        int nlist = 0;
        for (i = 0; i < nins;) {
            list[nlist++] = i;
            if (ins[i].op == CLOSURE && curBlockLit[i] >= 0) i = ins[i].target; else i++;
        }
        size = encodeUnit(list, nlist, out, 1);
        if (size < 0) return 0;
    }
    /* the saved contexts and closures on this method: every pc must map */
    for (i = 0; i < nobjs; i++) {
        int slot;
        if (isRefTo(&objs[i], objs[idx].oldOop, &slot) && slotOf(&objs[i], (uint32_t)slot) != nilOop
            && !mapPC(slotOf(&objs[i], (uint32_t)slot), nl))
            return 0;
    }
    for (i = 0; i < nobjs; i++) {
        int slot;
        if (isRefTo(&objs[i], objs[idx].oldOop, &slot) && slotOf(&objs[i], (uint32_t)slot) != nilOop) {
            slotPut(&objs[i], (uint32_t)slot, mapPC(slotOf(&objs[i], (uint32_t)slot), nl));
            countRemappedPCs++;
        }
    }
    /* each full block: its body up to the block's end, its own nested blocks left out */
    for (i = 0; i < nins; i++) {
        int nb = 0, bsize, numArgs, numCopied, needsOuter = 0;
        uint32_t bh;
        Obj *blk;
        if (ins[i].op != CLOSURE || curBlockLit[i] < 0) continue;
        for (j = i + 1; j < ins[i].target;) {
            blockList[nb++] = j;
            if (ins[j].op == CLOSURE) j = ins[j].target; else j++;
        }
        for (j = i + 1; j < ins[i].target; j++)
            if ((ins[j].op >= RET_SELF && ins[j].op <= RET_TOP) || ins[j].op == THISCTX) needsOuter = 1;
        /* the flag byte is written when the enclosing unit is encoded: keep outer contexts always
         * (BlockClosure methods this image runs read outerContext); needsOuter is only reported */
        (void)needsOuter;
        bsize = encodeUnit(blockList, nb, blockOut, 1);
        if (bsize < 0) return 0;
        numArgs = ins[i].b;
        numCopied = ins[i].c;
        bh = (hv & 0x20000) | (uint32_t)nl | (uint32_t)numArgs << 24 | (uint32_t)(numArgs + numCopied) << 18;
        blk = newCode(w0, 0, compiledBlockClassIndex, headerOop(bh), newLits, nl, blockOut, bsize);
        m = &objs[idx];
        newLits[curBlockLit[i]] = blk->oldOop;
        nblocks++;
    }
    /* every block literal is known now: store the final literal frame in the blocks too */
    for (i = 0; i < nins; i++) {
        Obj *blk;
        if (ins[i].op != CLOSURE || curBlockLit[i] < 0) continue;
        blk = deref(newLits[curBlockLit[i]]);
        for (j = 0; j < nl; j++) slotPut(blk, (uint32_t)(1 + j), newLits[j]);
    }
    countFullBlocks += nblocks;
    /* the method: new header and literals, new bytecodes, the old trailer */
    {
        int trailer = nbytes - end, total = 4 * (1 + nl) + size + trailer, nslots = (total + 3) / 4;
        uint8_t *body = calloc((size_t)nslots * 4 + 4, 1);
        wr32(body, headerOop((hv & ~0x7FFFu) | (uint32_t)nl));
        for (i = 0; i < nl; i++) wr32(body + 4 * (1 + i), newLits[i]);
        memcpy(body + 4 * (1 + nl), out, (size_t)size);
        memcpy(body + 4 * (1 + nl) + size, m->body + end, (size_t)trailer);
        free(m->body);
        m->body = body;
        m->nslots = (uint32_t)nslots;
        m->w0 = (w0 & ~0x1F000000u) | ((24 + (uint32_t)(nslots * 4 - total)) << 24);
        m->w1 = w1;
        (void)ci;
    }
    return 1;
}


/* ---- --self-test: a hand-assembled Sista method, System class>>sistaSelfTest, run first ----
 * It checks what the converted start-up methods do not reach, and answers a string that the
 * start-up DoIt (rewritten as: System log: System sistaSelfTest. ^System start) logs:
 * 'sista self-test ok', or 'sista self-test failed at N' for the first failed check N. */
typedef struct { uint8_t b[4096]; int n; int label[64]; int fix[256], fixLabel[256], nfix; } Asm;

static void emit(Asm *a, int n, const int *bytes) { int i; for (i = 0; i < n; i++) a->b[a->n++] = (uint8_t)bytes[i]; }
#define E(a, ...) do { const int bs_[] = { __VA_ARGS__ }; emit((a), (int)(sizeof bs_ / sizeof bs_[0]), bs_); } while (0)
static void label(Asm *a, int l) { a->label[l] = a->n; }
/* a jump as E1 hi OP lo: extB always, so every jump goes through the extension path */
static void jumpTo(Asm *a, int op, int l)
{
    E(a, 0xE1, 0, op, 0);
    a->fix[a->nfix] = a->n; a->fixLabel[a->nfix++] = l;
}
static void resolve(Asm *a)
{
    int i;
    for (i = 0; i < a->nfix; i++) {
        int off = a->label[a->fixLabel[i]] - a->fix[i];
        if (off < -32768 || off > 32767 || (off < 0 && a->b[a->fix[i] - 2] != 0xED)) die("self-test jump out of range");
        a->b[a->fix[i] - 3] = (uint8_t)((off >> 8) & 255);
        a->b[a->fix[i] - 1] = (uint8_t)(off & 255);
    }
}

static uint32_t findSymbol(uint32_t symCi, const char *name)
{
    int i;
    size_t len = strlen(name);
    for (i = 0; i < nobjs; i++)
        if (ciOf(&objs[i]) == symCi && bytesOf(&objs[i]) == len && !memcmp(objs[i].body, name, len)) return objs[i].oldOop;
    fprintf(stderr, "sista_convert: no symbol #%s\n", name);
    exit(2);
}

static uint32_t newBytes(uint32_t ci, const char *str, uint32_t hash)
{
    uint32_t oop = newSymbol(ci, str);
    find(oop)->w1 = hash;
    return oop;
}

/* literal indices of the self-test method */
enum { SL_System, SL_log, SL_ok, SL_failedAt, SL_printString, SL_comma, SL_1000, SL_char256, SL_charA,
       SL_B1, SL_B2, SL_B3, SL_B4, SL_fellThrough, SL_noNLR, SL_pad,
       SL_selector = SL_pad + 20, SL_binding, SL_count };

static void addSelfTest(uint32_t doit)
{
    Obj *d = find(doit), *meta, *md;
    uint32_t lits[SL_count], systemAssoc, system, symCi, strCi, binding, sel, mdOop, arrOop, hash, slotIx, m;
    uint32_t blocks[4], cap, i;
    Asm a;
    int check = 0;
    if (!d || (numPointerSlots(d) - 1) < 2) die("unexpected start-up method");
    systemAssoc = slotOf(d, 1);
    system = slotOf(deref(systemAssoc), 1);
    meta = deref(classAtIndex(ciOf(deref(system))));
    mdOop = slotOf(meta, 1);
    md = deref(mdOop);
    symCi = ciOf(deref(slotOf(d, 2)));
    /* the class binding of System class's methods, and ByteString's index, from System class>>start */
    {
        uint32_t startSel = slotOf(d, 2), startM = 0;
        for (i = 2; i < md->nslots; i++) if (slotOf(md, i) == startSel) startM = slotOf(deref(slotOf(md, 1)), i - 2);
        if (!startM) die("no System class>>start");
        binding = slotOf(deref(startM), numPointerSlots(deref(startM)) - 1);
        strCi = ciOf(deref(slotOf(deref(startM), 1)));
    }
    /* a selector whose hash puts it in a free slot of the method dictionary */
    cap = md->nslots - 2;
    for (slotIx = 0; slotIx < cap && slotOf(md, 2 + slotIx) != nilOop; slotIx++) {}
    if (slotIx == cap) die("System class's method dictionary is full");
    hash = slotIx + cap * 37;
    sel = newBytes(symCi, "sistaSelfTest", hash);

    for (i = 0; i < SL_count; i++) lits[i] = nilOop;
    lits[SL_System] = systemAssoc;
    lits[SL_log] = findSymbol(symCi, "log:");
    lits[SL_ok] = newBytes(strCi, "sista self-test ok", 0);
    lits[SL_failedAt] = newBytes(strCi, "sista self-test failed at ", 0);
    lits[SL_printString] = findSymbol(symCi, "printString");
    lits[SL_comma] = findSymbol(symCi, ",");
    lits[SL_1000] = smallInt(optBreakCheck ? 1001 : 1000);   /* --break-check: check 1 must fail */
    lits[SL_char256] = (256u << 2) | 2;
    lits[SL_charA] = ('a' << 2) | 2;
    lits[SL_fellThrough] = newBytes(strCi, "sista self-test: block fell through", 0);
    lits[SL_noNLR] = newBytes(strCi, "sista self-test: no non-local return", 0);
    lits[SL_selector] = sel;
    lits[SL_binding] = binding;
    /* the blocks (CompiledBlocks, literal frame = the method's), bodies:
     * B1 [:a | a + copied]  B2 [^copied]  B3 [:blk | blk value. 'fell through']  B4 [self] */
    {
        static const uint8_t b1[] = { 0x40, 0x41, 0x60, 0x5E };
        static const uint8_t b2[] = { 0x40, 0x5C };
        static const uint8_t b3[] = { 0x40, 0x79, 0xD8, 0x20 + SL_fellThrough, 0x5E };
        static const uint8_t b4[] = { 0x4C, 0x5E };
        static const struct { const uint8_t *code; int n, args, temps; } bs[4] = {
            { b1, sizeof b1, 1, 2 }, { b2, sizeof b2, 0, 1 }, { b3, sizeof b3, 1, 1 }, { b4, sizeof b4, 0, 0 } };
        for (i = 0; i < 4; i++) {
            uint32_t h = SL_count | (uint32_t)bs[i].args << 24 | (uint32_t)bs[i].temps << 18;
            blocks[i] = newCode(0, 0, compiledBlockClassIndex, headerOop(h), lits, SL_count, bs[i].code, bs[i].n)->oldOop;
            lits[SL_B1 + i] = blocks[i];
        }
        for (i = 0; i < 4; i++) {
            uint32_t j;
            for (j = 0; j < SL_count; j++) slotPut(find(blocks[i]), 1 + j, j >= SL_B1 && j <= SL_B4 ? blocks[j - SL_B1] : lits[j]);
        }
    }
    memset(&a, 0, sizeof a);
    /* temps: t0 check number, t1 sum, t2 counter, t3 temp vector, t4 scratch */
#define CHECK_START() do { check++; E(&a, 0xE8, check, 0xD0); } while (0)
#define FAIL_IF_FALSE() jumpTo(&a, 0xEF, 1)
    /* 1: push integer with a positive extB: E1 03 E8 E8 = 1000 */
    CHECK_START(); E(&a, 0xE1, 0x03, 0xE8, 0xE8, 0x20 + SL_1000, 0x66); FAIL_IF_FALSE();
    /* 2: negative extB: E1 FF E8 FE = -2, against 0 - 2 */
    CHECK_START(); E(&a, 0xE1, 0xFF, 0xE8, 0xFE, 0x50, 0xE8, 0x02, 0x61, 0x66); FAIL_IF_FALSE();
    /* 3: two extB bytes, the first signed: E1 80 E1 00 E8 00 = -8388608, against -32768 * 256 */
    CHECK_START(); E(&a, 0xE1, 0x80, 0xE1, 0x00, 0xE8, 0x00, 0xE1, 0x80, 0xE8, 0x00, 0xE1, 0x01, 0xE8, 0x00, 0x68, 0x66); FAIL_IF_FALSE();
    /* 4: characters: E9 61 == $a, E1 01 E9 00 == (Character value: 256) */
    CHECK_START(); E(&a, 0xE9, 0x61, 0x20 + SL_charA, 0x76); FAIL_IF_FALSE();
    CHECK_START(); E(&a, 0xE1, 0x01, 0xE9, 0x00, 0x20 + SL_char256, 0x76); FAIL_IF_FALSE();
    /* 6: a loop, sum 1..10 = 55, with a backward jump (negative extB) and a forward one past 300 nops */
    CHECK_START();
    E(&a, 0x50, 0xD1, 0xE8, 10, 0xD2);              /* t1 := 0. t2 := 10 */
    label(&a, 2);
    E(&a, 0x42, 0x50, 0x63); jumpTo(&a, 0xEF, 3);  /* [t2 > 0] whileTrue: */
    E(&a, 0x41, 0x42, 0x60, 0xD1, 0x42, 0x51, 0x61, 0xD2);
    jumpTo(&a, 0xED, 4);                            /* jump over the nops, extB 1 */
    for (i = 0; i < 300; i++) E(&a, 0x5F);
    label(&a, 4);
    jumpTo(&a, 0xED, 2);                            /* back: extB -1 or -2 */
    label(&a, 3);
    E(&a, 0x41, 0xE8, 55, 0x66); FAIL_IF_FALSE();
    /* 7: long conditional jump on true with extB over 300 nops */
    CHECK_START(); E(&a, 0x4D); jumpTo(&a, 0xEE, 5);
    for (i = 0; i < 300; i++) E(&a, 0x5F);
    E(&a, 0x4E); jumpTo(&a, 0xED, 1);
    label(&a, 5);
    /* 8: full block, one copied value: [:x | x + t1] value: 5 with t1 = 55 -> 60 */
    CHECK_START(); E(&a, 0x41, 0xF9, SL_B1, 0x01, 0xE8, 5, 0x7A, 0xE8, 60, 0x66); FAIL_IF_FALSE();
    /* 9: receiver on the stack: 42 pushed, [self] value == 42 */
    CHECK_START(); E(&a, 0xE8, 42, 0xF9, SL_B4, 0x80, 0x79, 0xE8, 42, 0x66); FAIL_IF_FALSE();
    /* 10: embedded closure 0xFA, [:x | x * 2] value: 21 = 42 */
    CHECK_START(); E(&a, 0xFA, 0x01, 5, 0x40, 0xE8, 0x02, 0x68, 0x5E, 0xE8, 21, 0x7A, 0xE8, 42, 0x66); FAIL_IF_FALSE();
    /* 11: temp vector: t3 := Array new: 1. t3[0] := 9 (store, then pop), 9 = t3[0] */
    CHECK_START(); E(&a, 0xE7, 0x01, 0xD3, 0xE8, 9, 0xFC, 0, 3, 0xD8, 0xE8, 7, 0xFD, 0, 3, 0xFB, 0, 3, 0xE8, 7, 0x66); FAIL_IF_FALSE();
    /* 12: ~~ inline (0x78) and thisContext (0x52) */
    CHECK_START(); E(&a, 0xE8, 3, 0xE8, 4, 0x78); FAIL_IF_FALSE();
    CHECK_START(); E(&a, 0x52, 0x4F, 0x78); FAIL_IF_FALSE();
    /* 14: extended stores/pushes: t4 via F5/F2/E5, a literal via E4 with extA 0 */
    CHECK_START(); E(&a, 0xE8, 77, 0xF5, 4, 0xD8, 0xE5, 4, 0xE0, 0x00, 0xE4, SL_1000, 0xE8, 77, 0x66, 0xD8, 0xE8, 77, 0x66); FAIL_IF_FALSE();
    /* 15: non-local return: [:blk | blk value. 'fell through'] (outer context nil) value: [^'ok'];
     * the ^ leaves both block frames and this method, answering 'ok' to the caller */
    CHECK_START();
    E(&a, 0xF9, SL_B3, 0x40, 0x20 + SL_ok, 0xF9, SL_B2, 0x01, 0x7A);
    E(&a, 0xD8, 0x20 + SL_noNLR, 0x5C);
    /* failure: answer 'sista self-test failed at ', t0 printString */
    label(&a, 1);
    E(&a, 0x20 + SL_failedAt, 0x40, 0x80 + SL_printString, 0x90 + SL_comma, 0x5C);
    resolve(&a);
#undef CHECK_START
#undef FAIL_IF_FALSE
    m = newCode(find(doit)->w0, 0, ciOf(find(doit)), headerOop(SL_count | 5u << 18 | HeaderLargeFrame), lits, SL_count, a.b, a.n)->oldOop;
    /* install it */
    md = find(mdOop);
    slotPut(md, 2 + slotIx, sel);
    slotPut(md, 0, slotOf(md, 0) + 2);
    arrOop = slotOf(md, 1);
    slotPut(find(arrOop), slotIx, m);
    /* the start-up DoIt: System log: System sistaSelfTest. ^System start */
    {
        uint32_t dl[6];
        static const uint8_t code[] = { 0x10, 0x10, 0x81, 0x92, 0xD8, 0x10, 0x83, 0x5C };
        Obj *nd;
        d = find(doit);
        dl[0] = systemAssoc; dl[1] = sel; dl[2] = lits[SL_log]; dl[3] = slotOf(d, 2);
        dl[4] = slotOf(d, numPointerSlots(d) - 2); dl[5] = slotOf(d, numPointerSlots(d) - 1);
        nd = newCode(d->w0, 0, ciOf(d), headerOop(6), dl, 6, code, sizeof code);
        d = find(doit);
        free(d->body);
        d->body = nd->body;
        d->nslots = nd->nslots;
        d->w0 = nd->w0;
        nd->body = calloc(4, 1);
        nd->nslots = 0;
        nd->w0 = 0;   /* left as a free chunk */
        for (i = 0; i < (uint32_t)nobjs; i++) {
            int slot;
            if (isRefTo(&objs[i], doit, &slot)) slotPut(&objs[i], 1, smallInt(4 * 7 + 1));
        }
    }
}

static void writeImage(const char *path)
{
    uint32_t cursor = 0, i, j;
    uint8_t *outImg;
    long outSize;
    FILE *f;
    /* lay out */
    for (i = 0; i < (uint32_t)nobjs; i++) {
        Obj *o = &objs[i];
        if (o->nslots >= 255) cursor += 8;
        o->newOop = oldBase + cursor;
        cursor += 8 + (o->nslots == 0 ? 8 : ((o->nslots * 4 + 7) & ~7u));
    }
    outSize = HeaderBytes + cursor + 16;
    outImg = calloc((size_t)outSize, 1);
    memcpy(outImg, image, HeaderBytes);
    wr32(outImg + 8, cursor + 16);
    wr32(outImg + 48, cursor + 16);
    wr32(outImg + 16, find(specialsOop)->newOop);
    for (i = 0; i < (uint32_t)nobjs; i++) {
        Obj *o = &objs[i];
        uint8_t *p = outImg + HeaderBytes + (o->newOop - oldBase);
        uint32_t np = numPointerSlots(o);
        if (o->nslots >= 255) { wr32(p - 8, o->nslots); wr32(p - 4, 0xFF000000u); }
        wr32(p, o->w0);
        wr32(p + 4, (o->w1 & 0x00FFFFFFu) | ((o->nslots >= 255 ? 255u : o->nslots) << 24));
        memcpy(p + 8, o->body, (size_t)o->nslots * 4);
        if (ciOf(o) == 0 || i == 3) {
            /* free chunks' links and the free lists object hold addresses of free chunks */
            for (j = 0; j < o->nslots; j++) {
                Obj *t = slotOf(o, j) ? find(slotOf(o, j)) : NULL;
                wr32(p + 8 + 4 * j, t ? t->newOop : 0);
            }
        }
        for (j = 0; j < np; j++) {
            uint32_t v = slotOf(o, j);
            Obj *t;
            if (!isPtr(v)) continue;
            t = find(v);
            if (!t) { fprintf(stderr, "sista_convert: dangling reference %#x in object %#x\n", v, o->oldOop); exit(2); }
            wr32(p + 8 + 4 * j, t->newOop);
        }
    }
    memcpy(outImg + HeaderBytes + cursor, image + imageSize - 16, 16);   /* the final bridge */
    f = fopen(path, "wb");
    if (!f || fwrite(outImg, 1, (size_t)outSize, f) != (size_t)outSize || fclose(f) != 0) { perror(path); exit(2); }
    free(outImg);
}

int main(int argc, char **argv)
{
    int i, converted = 0, considered = 0, nmethods, startup = 0;
    uint32_t startupMethod = 0;
    char name[400];
    const char *inPath, *outPath;
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--wide")) optWide = 1;
        else if (!strcmp(argv[i], "--full-blocks")) optFull = 1;
        else if (!strcmp(argv[i], "--no-sign-bit")) optNoSign = 1;
        else if (!strcmp(argv[i], "-v")) optVerbose = 1;
        else if (!strcmp(argv[i], "--self-test")) optSelfTest = 1;
        else if (!strcmp(argv[i], "--break-check")) optSelfTest = optBreakCheck = 1;
        else if (!strcmp(argv[i], "--select") && i + 1 < argc) optSelect = argv[++i];
        else die("usage: sista_convert [--select all|even|odd|none] [--wide] [--full-blocks] [--self-test] [--break-check] [--no-sign-bit] [-v] IN OUT");
    }
    if (argc - i != 2) die("usage: sista_convert [options] IN OUT");
    if (strcmp(optSelect, "all") && strcmp(optSelect, "even") && strcmp(optSelect, "odd") && strcmp(optSelect, "none"))
        die("--select takes all, even, odd or none");
    inPath = argv[i];
    outPath = argv[i + 1];
    load(inPath);
    contextCi = deref(splObj(10))->w1 & 0x3FFFFF;
    closureCi = deref(splObj(36))->w1 & 0x3FFFFF;
    {
        Obj *sels = deref(splObj(23)), *s24 = sels && sels->nslots > 48 ? deref(slotOf(sels, 48)) : NULL;
        special24IsNotIdentical = s24 && bytesOf(s24) == 2 && !memcmp(s24->body, "~~", 2);
    }
    {
        /* the method of the active process's suspended context: the first to run */
        Obj *sched = deref(slotOf(deref(splObj(3)), 1)), *proc, *ctx;
        proc = sched ? deref(slotOf(sched, 1)) : NULL;
        ctx = proc ? deref(slotOf(proc, 1)) : NULL;
        if (ctx && ctx->nslots > 3) startupMethod = slotOf(ctx, 3);
    }
    if (optSelfTest) optFull = 1;
    if (optFull) {
        uint32_t cmClass = 0, fbc;
        for (i = 0; i < nobjs && !cmClass; i++) if (fmtOf(&objs[i]) >= 24) cmClass = classAtIndex(ciOf(&objs[i]));
        fbc = newClassLike(splObj(36), "FullBlockClosure", 1);
        compiledBlockClassIndex = deref(newClassLike(cmClass, "CompiledBlock", 0))->w1 & 0x3FFFFF;
        fullBlockClassIndex = deref(fbc)->w1 & 0x3FFFFF;
        slotPut(find(specialsOop), 37, fbc);
        addFullBlockValueMethods(fbc, cmClass);
    }
    nmethods = nobjs;
    for (i = 0; i < nmethods; i++) {
        int pick;
        if (fmtOf(&objs[i]) < 24 || ciOf(&objs[i]) == compiledBlockClassIndex) continue;
        pick = !strcmp(optSelect, "all") || (!strcmp(optSelect, "even") && considered % 2 == 0)
               || (!strcmp(optSelect, "odd") && considered % 2 == 1);
        considered++;
        if (!pick) continue;
        if (convertMethod(i)) {
            converted++;
            if (objs[i].oldOop == startupMethod) startup = 1;
            if (optVerbose) { methodName(&objs[i], name, sizeof name); printf("converted %s\n", name); }
        } else if (optVerbose) { methodName(&objs[i], name, sizeof name); printf("kept %s\n", name); }
    }
    if (startupMethod && optVerbose) {
        methodName(find(startupMethod), name, sizeof name);
        printf("startup method %s: %s\n", name, startup ? "converted" : "not converted");
    }
    if (optSelfTest) addSelfTest(startupMethod);
    writeImage(outPath);
    printf("converted %d methods, %d blocks, %d startup, %d pcs remapped\n", converted, countFullBlocks, startup, countRemappedPCs);
    return 0;
}
