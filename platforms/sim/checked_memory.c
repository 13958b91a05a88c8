/* Checked VM memory for the simulator. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "checked_memory.h"
#include "../platform_internal.h"

#define SimBase 0x10000000   /* vmspec/constants.h SimVirtualBase: 0 is never a valid address */

static unsigned char *memory;     /* host bytes of VM memory */
static sqInt memoryBytes;         /* reserved */
static sqInt committedBytes;      /* [SimBase, SimBase + committedBytes) may be used */
static unsigned char *startBits;  /* one bit per 8 bytes: an object header starts there */
static unsigned char *holeBits;   /* one bit per page below committedBytes given back (a hole) */
static sqInt holePages;           /* how many: accesses look at holeBits only when there are some */
#define SimPageBytes 4096
static sqInt lastObjectEnd;       /* the highest end of a noted object, for reports */

jmp_buf *simCheckGuard;
char simCheckMessage[512];

sqInt platformReserveMemory(sqInt bytes, sqInt wantLowAddress)
{
    (void)wantLowAddress;
    void *p;
    if (memory || bytes <= 0) return 0;
    p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    startBits = calloc((size_t)(bytes / 64 + 1), 1);
    holeBits = calloc((size_t)(bytes / SimPageBytes / 8 + 1), 1);
    holePages = 0;
    if (p == MAP_FAILED || !startBits || !holeBits) return 0;
    memory = p;
    memoryBytes = bytes;
    committedBytes = 0;
    return SimBase;
}

static int isHolePage(sqInt page) { return (holeBits[page >> 3] >> (page & 7)) & 1; }

/* pages [first, last] become holes (set) or committed again */
static void markHolePages(sqInt first, sqInt last, int set)
{
    sqInt page;
    for (page = first; page <= last; page += 1) {
        if (isHolePage(page) == set) continue;
        holeBits[page >> 3] ^= (unsigned char)(1 << (page & 7));
        holePages += set ? 1 : -1;
    }
}

/* whether [off, off + size) touches a hole */
static int inHole(sqInt off, sqInt size)
{
    sqInt page;
    for (page = off / SimPageBytes; page <= (off + (size > 0 ? size - 1 : 0)) / SimPageBytes; page += 1)
        if (isHolePage(page)) return 1;
    return 0;
}

/* Commits grow one limit from the base (the loader's, then old space's segments); below it, a
 * segment given back in the middle of old space (a hole behind a bridge) may be committed again. */
sqInt platformCommitMemory(sqInt address, sqInt bytes)
{
    sqInt off = address - SimBase;
    if (off < 0 || bytes < 0 || off > committedBytes || off + bytes > memoryBytes) return 0;
    if (holePages && bytes > 0 && off < committedBytes)
        markHolePages(off / SimPageBytes, ((off + bytes < committedBytes ? off + bytes : committedBytes) - 1) / SimPageBytes, 0);
    if (off + bytes > committedBytes) committedBytes = off + bytes;
    return 1;
}

/* the pages of a big free chunk: the host may reclaim them (this simulates nothing more) */
void platformReleasePages(sqInt address, sqInt bytes)
{
    sqInt off = address - SimBase, start = (off + 4095) & ~(sqInt)4095, end = (off + bytes) & ~(sqInt)4095;
    if (off < 0 || off + bytes > committedBytes || end <= start) return;
    madvise(memory + start, (size_t)(end - start), MADV_DONTNEED);
}

/* what is given back reads as zeros if committed again, and is out of range until then */
void platformDecommitMemory(sqInt address, sqInt bytes)
{
    sqInt off = address - SimBase;
    if (off < 0 || bytes <= 0 || off >= committedBytes) return;
    if (off + bytes < committedBytes) {
        /* a hole: whole pages only, as the production VM's mprotect */
        sqInt first = (off + SimPageBytes - 1) / SimPageBytes, end = (off + bytes) / SimPageBytes;
        if (end <= first) return;
        simForgetObjectStarts(SimBase + first * SimPageBytes, SimBase + end * SimPageBytes);
        memset(memory + first * SimPageBytes, 0, (size_t)((end - first) * SimPageBytes));
        madvise(memory + first * SimPageBytes, (size_t)((end - first) * SimPageBytes), MADV_DONTNEED);
        markHolePages(first, end - 1, 1);
        return;
    }
    if (holePages) markHolePages(off / SimPageBytes, (committedBytes - 1) / SimPageBytes, 0);
    simForgetObjectStarts(address, address + bytes);
    memset(memory + off, 0, (size_t)(committedBytes - off));
    madvise(memory + off, (size_t)(committedBytes - off), MADV_DONTNEED);
    committedBytes = off;
}

/* forget VM memory, so that one process can load image after image (tests/fuzz/) */
void simReleaseMemory(void)
{
    if (memory) munmap(memory, (size_t)memoryBytes);
    free(startBits);
    free(holeBits);
    memory = NULL;
    startBits = NULL;
    holeBits = NULL;
    holePages = 0;
    memoryBytes = 0;
    committedBytes = 0;
    lastObjectEnd = 0;
}

void simNoteObjectStart(sqInt oop, sqInt end)
{
    sqInt off = oop - SimBase;
    if (off < 0 || off >= memoryBytes) return;
    startBits[off >> 6] |= (unsigned char)(1u << ((off >> 3) & 7));
    if (end > lastObjectEnd) lastObjectEnd = end;
    if (simHookNewObjects) simNewObjectHit(oop);
}

/* a bit per 8-byte word; whole bytes of the bitmap are cleared at once (a scavenge forgets all
 * of eden, a compaction all of old space, under GC stress thousands of times) */
void simForgetObjectStarts(sqInt start, sqInt end)
{
    sqInt off = (start - SimBase) & ~(sqInt)7, stop = end - SimBase;
    if (off < 0) off = 0;
    if (stop > memoryBytes) stop = memoryBytes;
    for (; off < stop && (off & 63) != 0; off += 8)
        startBits[off >> 6] &= (unsigned char)~(1u << ((off >> 3) & 7));
    if (stop - off >= 64) {
        memset(startBits + (off >> 6), 0, (size_t)((stop - off) >> 6));
        off += (stop - off) & ~(sqInt)63;
    }
    for (; off < stop; off += 8)
        startBits[off >> 6] &= (unsigned char)~(1u << ((off >> 3) & 7));
}

int simIsObjectStart(sqInt oop)
{
    sqInt off = oop - SimBase;
    if (off < 0 || off >= memoryBytes || (off & 7)) return 0;
    return (startBits[off >> 6] >> ((off >> 3) & 7)) & 1;
}

/* the noted object whose header is at or below address, or 0 */
static sqInt objectContaining(sqInt address)
{
    sqInt off = (address - SimBase) & ~(sqInt)7;
    for (; off >= 0; off -= 8)
        if (startBits[off >> 6] & (1u << ((off >> 3) & 7))) return SimBase + off;
    return 0;
}

static void describeAddress(sqInt a)
{
    sqInt obj;
    if (a < SimBase || a >= SimBase + memoryBytes) {
        fprintf(stderr, "  address 0x%lx is outside VM memory [0x%lx, 0x%lx)\n", (unsigned long)a,
                (unsigned long)SimBase, (unsigned long)(SimBase + memoryBytes));
        return;
    }
    obj = objectContaining(a);
    if (obj == a) {
        uint64_t h;
        memcpy(&h, memory + (obj - SimBase), 8);
        fprintf(stderr, "  object 0x%lx: class index %lu, format %lu, %lu slots\n", (unsigned long)obj,
                (unsigned long)(h & 0x3FFFFF), (unsigned long)((h >> 24) & 0x1F), (unsigned long)(h >> 56));
    } else if (obj) {
        uint64_t h;
        memcpy(&h, memory + (obj - SimBase), 8);
        fprintf(stderr, "  nearest object below: 0x%lx (class index %lu, format %lu, %lu slots), offset +%ld\n",
                (unsigned long)obj, (unsigned long)(h & 0x3FFFFF), (unsigned long)((h >> 24) & 0x1F),
                (unsigned long)(h >> 56), (long)(a - obj));
    }
}

/* A failed check: under the debugger's guard (it is reading memory for Lua) a jump back to it,
 * else the report and the end of the run. The message stays in simCheckMessage for the debugger. */
static _Noreturn __attribute__((format(printf, 2, 3))) void checkFailed(sqInt object, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(simCheckMessage, sizeof simCheckMessage, fmt, ap);
    va_end(ap);
    if (simCheckGuard) longjmp(*simCheckGuard, 1);
    fflush(stdout);
    fprintf(stderr, "talc-sim: %s\n", simCheckMessage);
    if (object) describeAddress(object);
    platformFatalHook();
    platformExit(70);
}

void simCheckSlot(sqInt oop, sqInt index, int bytes, const char *file, int line)
{
    uint64_t h;
    sqInt slots, count, fmt;
    if (!simIsObjectStart(oop))
        checkFailed(oop, "%s:%d: checked access failed: not an object of 8 bytes at 0x%lx", file, line, (unsigned long)oop);
    memcpy(&h, memory + (oop - SimBase), 8);
    slots = (sqInt)(h >> 56);
    if (slots == 255) { memcpy(&h, memory + (oop - 8 - SimBase), 8); slots = (sqInt)(h & 0x00FFFFFFFFFFFFFFULL); memcpy(&h, memory + (oop - SimBase), 8); }
    fmt = (sqInt)((h >> 24) & 0x1F);
    count = slots;
    if (bytes) {
        count = slots * simBytesPerWord();
        if (fmt >= 16) count -= fmt & 7;
    }
    if (index >= 0 && index < count) return;
    checkFailed(oop, "%s:%d: checked access failed: %s %ld of object 0x%lx, which has %ld", file, line,
                bytes ? "byte" : "slot", (long)index, (unsigned long)oop, (long)count);
}

static _Noreturn void accessFailed(const char *what, sqInt a, int size, const char *file, int line)
{
    checkFailed(a, "%s:%d: checked access failed: %s of %d byte%s at 0x%lx", file, line, what, size,
                size == 1 ? "" : "s", (unsigned long)a);
}

static inline unsigned char *checked(sqInt a, int size, const char *file, int line)
{
    if (a < SimBase || a + size > SimBase + committedBytes || (holePages && inHole(a - SimBase, size)))
        accessFailed(a >= SimBase && a + size <= SimBase + memoryBytes ? "reserved but not committed" : "out of range", a, size, file, line);
    if (a & (size - 1)) accessFailed("misaligned", a, size, file, line);
    return memory + (a - SimBase);
}

/* every store goes through here: the watchpoints' hook (sim_break.c) sees it with the spec's
 * file:line. The value travels as bits, not through a pointer, so that the fast path keeps it in
 * a register and reaches the hook by a tail call. */
#define STORE(a, size, bits, f, l) do { \
        unsigned char *p_ = checked((a), (size), (f), (l)); \
        uint64_t b_ = (uint64_t)(bits); \
        if (simHookStores) { simStoreHit((a), (size), p_, b_, (f), (l)); return; } \
        memcpy(p_, &b_, (size)); \
    } while (0)

sqInt simByteAt(sqInt a, const char *f, int l) { return *checked(a, 1, f, l); }
void simByteAtPut(sqInt a, sqInt v, const char *f, int l) { STORE(a, 1, (uint8_t)v, f, l); }
sqInt simShortAt(sqInt a, const char *f, int l) { uint16_t v; memcpy(&v, checked(a, 2, f, l), 2); return v; }
void simShortAtPut(sqInt a, sqInt v, const char *f, int l) { STORE(a, 2, (uint16_t)v, f, l); }
sqInt simLong32At(sqInt a, const char *f, int l) { uint32_t v; memcpy(&v, checked(a, 4, f, l), 4); return v; }
void simLong32AtPut(sqInt a, sqInt v, const char *f, int l) { STORE(a, 4, (uint32_t)v, f, l); }
int64_t simLong64At(sqInt a, const char *f, int l) { int64_t v; memcpy(&v, checked(a, 8, f, l), 8); return v; }
void simLong64AtPut(sqInt a, int64_t v, const char *f, int l) { STORE(a, 8, v, f, l); }
double simFloat64At(sqInt a, const char *f, int l) { double v; memcpy(&v, checked(a, 8, f, l), 8); return v; }
void simFloat64AtPut(sqInt a, double v, const char *f, int l) { uint64_t bits; memcpy(&bits, &v, 8); STORE(a, 8, bits, f, l); }

/* the platform reaches VM memory by address too, checked the same way */
void *vmHostPointer(sqInt address, sqInt length)
{
    if (length < 0 || address < SimBase || address + length > SimBase + committedBytes || (holePages && inHole(address - SimBase, length)))
        checkFailed(0, "platform access out of range: %ld bytes at 0x%lx", (long)length, (unsigned long)address);
    return memory + (address - SimBase);
}

_Noreturn void simAssertFailed(const char *expr, const char *file, int line)
{
    checkFailed(0, "%s:%d: assertion failed: %s", file, line, expr);
}

/* whether [a, a + size) is readable VM memory: the debugger checks before it reads */
int simIsMemory(sqInt a, sqInt size)
{
    return size >= 0 && a >= SimBase && a + size <= SimBase + committedBytes && !(holePages && inHole(a - SimBase, size));
}
