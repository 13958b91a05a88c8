/* The Spur image file, as Open-Smalltalk-VM writes one: a 64-byte (32-bit, format 6521) or
 * 128-byte (64-bit, format 68021) header, then one segment holding every object in the order
 * built (nil, false, true, the free lists, the hidden roots, the class table pages, ...) and
 * ending with the final bridge. Boxed floats are written as the VM holds them, in the platform's (little-endian) order:
 * header flag bit 1 (value 2) set, as Open-Smalltalk-VM writes it (bit 0 is its full-screen flag). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"

#define OldBase 0x10000000ULL

static uint64_t *addr;     /* oop of each object */
static int *numSlotsOf, *formatOf;

static void layout(int id, uint64_t *offset)
{
    Obj *o = obj(id);
    int n = 0, fmt = o->fmt, total, pad;
    uint64_t body;
    switch (fmt) {
    case F_METHOD:
        total = o->nslots * wordBytes + o->nbytes;
        n = (total + wordBytes - 1) / wordBytes;
        pad = n * wordBytes - total;
        fmt = F_METHOD + pad;
        break;
    case F_8:
        n = (o->nbytes + wordBytes - 1) / wordBytes;
        fmt = F_8 + (n * wordBytes - o->nbytes);
        break;
    case F_16:
        n = (o->nbytes + wordBytes - 1) / wordBytes;
        fmt = F_16 + (n * wordBytes - o->nbytes) / 2;
        break;
    case F_32:
        n = (o->nbytes + wordBytes - 1) / wordBytes;
        fmt = F_32 + (n * wordBytes - o->nbytes) / 4;
        break;
    case F_64:
        n = o->nbytes / wordBytes;
        break;
    default:
        n = o->nslots;
        if (fmt == F_FIXED && n == 0) fmt = F_ZERO;
        break;
    }
    numSlotsOf[id] = n;
    formatOf[id] = fmt;
    if (n >= 255) *offset += 8;
    addr[id] = OldBase + *offset;
    body = (uint64_t)n * (uint64_t)wordBytes;
    body = (body + 7) & ~(uint64_t)7;
    if (body < 8) body = 8;
    *offset += 8 + body;
}

static uint64_t encode(Val v)
{
    if (ISOBJ(v)) return addr[OBJID(v)];
    if ((v & 3) == 1) {
        int64_t i = INTVAL(v);
        return wordBytes == 8 ? ((uint64_t)i << 3) | 1 : (uint64_t)(uint32_t)(((uint32_t)i << 1) | 1);
    }
    if ((v & 3) == 3) return ((uint64_t)v >> 2 << 3) | 4;
    return ((uint64_t)(v >> 2) << (wordBytes == 8 ? 3 : 2)) | 2;
}

static void put(uint8_t *p, uint64_t v, int bytes)
{
    int i;
    for (i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int writeImage(const char *path, Val specialObjects)
{
    uint64_t offset = 0, segBytes, a;
    int i, j, headerBytes = wordBytes == 8 ? 128 : 64;
    uint8_t *data, *hdr;
    FILE *f;
    addr = xmalloc(sizeof(uint64_t) * (size_t)heapCount);
    numSlotsOf = xmalloc(sizeof(int) * (size_t)heapCount);
    formatOf = xmalloc(sizeof(int) * (size_t)heapCount);
    for (i = 0; i < heapCount; i++) layout(i, &offset);
    segBytes = offset + 16;   /* the final bridge */
    data = xmalloc((size_t)segBytes);
    memset(data, 0, (size_t)segBytes);
    for (i = 0; i < heapCount; i++) {
        Obj *o = obj(i);
        int n = numSlotsOf[i], ci;
        uint8_t *p = data + (addr[i] - OldBase);
        uint64_t header;
        if (o->cls >= 0) ci = (int)obj(o->cls)->hash;
        else ci = o->classIndex;
        if (ci == 0) fatal("internal error: object %d has no class index", i);
        if (n >= 255) put(p - 8, (0xFFULL << 56) | (uint64_t)n, 8);
        header = ((uint64_t)(n >= 255 ? 255 : n) << 56) | ((uint64_t)(o->hash & 0x3FFFFF) << 32)
                 | ((uint64_t)formatOf[i] << 24) | (uint64_t)ci;
        put(p, header, 8);
        p += 8;
        if (o->fmt <= F_EPHEMERON) {
            for (j = 0; j < o->nslots; j++) put(p + j * wordBytes, encode(o->slots[j]), wordBytes);
        } else if (o->fmt == F_METHOD) {
            for (j = 0; j < o->nslots; j++) put(p + j * wordBytes, encode(o->slots[j]), wordBytes);
            memcpy(p + o->nslots * wordBytes, o->bytes, (size_t)o->nbytes);
        } else if (o->nbytes) {
            memcpy(p, o->bytes, (size_t)o->nbytes);
        }
    }
    /* the final bridge: a pinned, marked, slotless word object (the segment-bridge pun), then 0 */
    a = offset;
    put(data + a, (1ULL << 55) | (1ULL << 30) | ((uint64_t)(wordBytes == 8 ? F_64 : F_32) << 24) | 3, 8);
    put(data + a + 8, 0, 8);

    hdr = xmalloc((size_t)headerBytes);
    memset(hdr, 0, (size_t)headerBytes);
    put(hdr, wordBytes == 8 ? 68021 : 6521, 4);
    put(hdr + 4, (uint64_t)headerBytes, 4);
    put(hdr + 8, segBytes, wordBytes);
    put(hdr + 8 + wordBytes, OldBase, wordBytes);
    put(hdr + 8 + 2 * wordBytes, encode(specialObjects), wordBytes);
    put(hdr + 8 + 3 * wordBytes, lastHashValue(), wordBytes);
    put(hdr + 8 + 4 * wordBytes, (640u << 16) | 480u, wordBytes);   /* the saved window size */
    put(hdr + 8 + 5 * wordBytes, 2, wordBytes);                     /* header flags: bit 1, floats in platform (little-endian) order */
    /* extra VM memory (4), stack pages (2), code size (2), eden bytes (4), ext sem table (2), 0 (2): all 0 */
    put(hdr + 8 + 6 * wordBytes + 16, segBytes, wordBytes);          /* the first segment's size */
    put(hdr + 8 + 7 * wordBytes + 16, 0, wordBytes);                 /* free old space in the image */

    f = fopen(path, "wb");
    if (!f) { fprintf(stderr, "talc-boot: cannot write %s\n", path); return 1; }
    if (fwrite(hdr, 1, (size_t)headerBytes, f) != (size_t)headerBytes || fwrite(data, 1, (size_t)segBytes, f) != (size_t)segBytes) {
        fprintf(stderr, "talc-boot: cannot write %s\n", path);
        fclose(f);
        return 1;
    }
    if (fclose(f) != 0) { fprintf(stderr, "talc-boot: cannot write %s\n", path); return 1; }
    free(hdr);
    free(data);
    free(addr);
    free(numSlotsOf);
    free(formatOf);
    return 0;
}
