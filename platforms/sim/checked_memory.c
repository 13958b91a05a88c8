/* Checked VM memory for the simulator. */
#include <signal.h>
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
static sqInt lastObjectEnd;       /* the highest end of a noted object, for reports */

sqInt platformReserveMemory(sqInt bytes, sqInt wantLowAddress)
{
    (void)wantLowAddress;
    void *p;
    if (memory || bytes <= 0) return 0;
    p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    startBits = calloc((size_t)(bytes / 64 + 1), 1);
    if (p == MAP_FAILED || !startBits) return 0;
    memory = p;
    memoryBytes = bytes;
    committedBytes = 0;
    return SimBase;
}

/* commits are contiguous from the base (the loader's, then old space's segments): one limit */
sqInt platformCommitMemory(sqInt address, sqInt bytes)
{
    sqInt off = address - SimBase;
    if (off < 0 || bytes < 0 || off > committedBytes || off + bytes > memoryBytes) return 0;
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
    if (off < 0 || bytes <= 0 || off + bytes < committedBytes) return;
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
    memory = NULL;
    startBits = NULL;
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
}

void simForgetObjectStarts(sqInt start, sqInt end)
{
    sqInt off;
    for (off = (start - SimBase) & ~(sqInt)7; off < end - SimBase && off < memoryBytes; off += 8)
        if (off >= 0) startBits[off >> 6] &= (unsigned char)~(1u << ((off >> 3) & 7));
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

static _Noreturn void accessFailed(const char *what, sqInt a, int size, const char *file, int line);

void simCheckSlot(sqInt oop, sqInt index, int bytes, const char *file, int line)
{
    uint64_t h;
    sqInt slots, count, fmt;
    if (!simIsObjectStart(oop)) accessFailed("not an object", oop, 8, file, line);
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
    fflush(stdout);
    fprintf(stderr, "talc-sim: %s:%d: checked access failed: %s %ld of object 0x%lx, which has %ld\n", file, line,
            bytes ? "byte" : "slot", (long)index, (unsigned long)oop, (long)count);
    describeAddress(oop);
    platformFatalHook();
    platformExit(70);
}

static _Noreturn void accessFailed(const char *what, sqInt a, int size, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "talc-sim: %s:%d: checked access failed: %s of %d byte%s at 0x%lx\n", file, line, what, size,
            size == 1 ? "" : "s", (unsigned long)a);
    describeAddress(a);
    platformFatalHook();
    platformExit(70);
}

static inline unsigned char *checked(sqInt a, int size, const char *file, int line)
{
    if (a < SimBase || a + size > SimBase + committedBytes)
        accessFailed(a >= SimBase && a + size <= SimBase + memoryBytes ? "reserved but not committed" : "out of range", a, size, file, line);
    if (a & (size - 1)) accessFailed("misaligned", a, size, file, line);
    return memory + (a - SimBase);
}

sqInt simByteAt(sqInt a, const char *f, int l) { return *checked(a, 1, f, l); }
void simByteAtPut(sqInt a, sqInt v, const char *f, int l) { *checked(a, 1, f, l) = (unsigned char)v; }
sqInt simShortAt(sqInt a, const char *f, int l) { uint16_t v; memcpy(&v, checked(a, 2, f, l), 2); return v; }
void simShortAtPut(sqInt a, sqInt v, const char *f, int l) { uint16_t x = (uint16_t)v; memcpy(checked(a, 2, f, l), &x, 2); }
sqInt simLong32At(sqInt a, const char *f, int l) { uint32_t v; memcpy(&v, checked(a, 4, f, l), 4); return v; }
void simLong32AtPut(sqInt a, sqInt v, const char *f, int l) { uint32_t x = (uint32_t)v; memcpy(checked(a, 4, f, l), &x, 4); }
int64_t simLong64At(sqInt a, const char *f, int l) { int64_t v; memcpy(&v, checked(a, 8, f, l), 8); return v; }
void simLong64AtPut(sqInt a, int64_t v, const char *f, int l) { memcpy(checked(a, 8, f, l), &v, 8); }
double simFloat64At(sqInt a, const char *f, int l) { double v; memcpy(&v, checked(a, 8, f, l), 8); return v; }
void simFloat64AtPut(sqInt a, double v, const char *f, int l) { memcpy(checked(a, 8, f, l), &v, 8); }

/* the platform reaches VM memory by address too, checked the same way */
void *vmHostPointer(sqInt address, sqInt length)
{
    if (length < 0 || address < SimBase || address + length > SimBase + committedBytes) {
        fflush(stdout);
        fprintf(stderr, "talc-sim: platform access out of range: %ld bytes at 0x%lx\n", (long)length, (unsigned long)address);
        platformFatalHook();
        platformExit(70);
    }
    return memory + (address - SimBase);
}

_Noreturn void simAssertFailed(const char *expr, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "talc-sim: %s:%d: assertion failed: %s\n", file, line, expr);
    platformFatalHook();
    platformExit(70);
}
