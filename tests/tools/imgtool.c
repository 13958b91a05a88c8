/* imgtool: reads and patches a Spur 32-bit image file for the bad-image tests.
 *
 *   imgtool info FILE                 shell assignments (NAME=VALUE) describing the image and the
 *                                     file offsets of objects the tests corrupt
 *   imgtool get32 FILE OFFSET         the little-endian 32-bit word at OFFSET
 *   imgtool put32 FILE OFFSET VALUE   overwrite the 32-bit word at OFFSET (numbers: C syntax)
 *   imgtool put8 FILE OFFSET VALUE    overwrite the byte at OFFSET
 *
 * Offsets printed by info are file offsets. For an object, "_hdr" is the offset of its 8-byte
 * header (class index | format << 24 in the low word, hash | numSlots << 24 in the high word);
 * its slots follow. Only the first segment is walked: the objects chosen all lie there. The
 * mourn queue's first page (mournqueue_hdr, 0 when there is none) holds raw words: its count,
 * root index, free list and next page, then the entries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HeaderBytes 64

static unsigned char *image;
static long imageSize;
static uint32_t oldBase, firstSegment;

static uint32_t word32(long off)
{
    if (off < 0 || off + 4 > imageSize) { fprintf(stderr, "imgtool: offset %ld outside the file\n", off); exit(2); }
    return (uint32_t)image[off] | (uint32_t)image[off + 1] << 8 | (uint32_t)image[off + 2] << 16 | (uint32_t)image[off + 3] << 24;
}

static void load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    imageSize = ftell(f);
    fseek(f, 0, SEEK_SET);
    image = malloc((size_t)imageSize + 1);
    if (!image || fread(image, 1, (size_t)imageSize, f) != (size_t)imageSize) { fprintf(stderr, "imgtool: cannot read %s\n", path); exit(2); }
    fclose(f);
}

/* object headers */
static unsigned numSlotsByte(long hdr) { return word32(hdr + 4) >> 24; }
static unsigned classIndex(long hdr) { return word32(hdr) & 0x3FFFFF; }
static unsigned format(long hdr) { return (word32(hdr) >> 24) & 0x1F; }
static long numSlots(long hdr) { return numSlotsByte(hdr) == 255 ? (long)word32(hdr - 8) : (long)numSlotsByte(hdr); }

static long bodyBytes(long hdr)
{
    long b = (numSlots(hdr) * 4 + 7) & ~7L;
    return b < 8 ? 8 : b;
}

/* the header of the object whose memory starts at off */
static long headerAt(long off) { return numSlotsByte(off) == 255 ? off + 8 : off; }
static long nextObject(long hdr) { return headerAt(hdr + 8 + bodyBytes(hdr)); }
static long segmentEnd(void) { return HeaderBytes + firstSegment - 16; } /* the bridge */

static long offsetOfOop(uint32_t oop)
{
    if (oop < oldBase || oop >= oldBase + firstSegment || (oop & 7)) { fprintf(stderr, "imgtool: oop 0x%x not in the first segment\n", oop); exit(2); }
    return (long)(oop - oldBase) + HeaderBytes;
}

static uint32_t slot(long hdr, long i) { return word32(hdr + 8 + 4 * i); }
static uint32_t oopOf(long hdr) { return (uint32_t)(hdr - HeaderBytes) + oldBase; }

/* the leading slots of an object that hold references */
static long pointerSlots(long hdr)
{
    unsigned f = format(hdr);
    if (classIndex(hdr) == 0) return 0;                              /* a free chunk */
    if (f <= 5) return numSlots(hdr);
    if (f == 7) return 1;                                            /* a forwarder */
    if (f >= 24) return 1 + (long)((slot(hdr, 0) >> 1) & 0x7FFF);    /* a method: its literals */
    return 0;
}

/* per allocation unit of the first segment: how many slots refer to the object there (at most
 * 255), and the file offset of the last such slot */
static unsigned char *referenced;
static long *referringSlot;

static void findReferences(long first)
{
    referenced = calloc((size_t)firstSegment / 8 + 1, 1);
    referringSlot = calloc((size_t)firstSegment / 8 + 1, sizeof *referringSlot);
    if (!referenced || !referringSlot) exit(2);
    for (long o = first; o < segmentEnd(); o = nextObject(o))
        for (long i = 0; i < pointerSlots(o); i++) {
            uint32_t v = slot(o, i);
            if ((v & 3) != 0 || v < oldBase || v >= oldBase + firstSegment) continue;
            if (referenced[(v - oldBase) / 8] < 255) referenced[(v - oldBase) / 8]++;
            referringSlot[(v - oldBase) / 8] = o + 8 + 4 * i;
        }
}

static int references(long hdr) { return referenced[(hdr - HeaderBytes) / 8]; }
static long referringSlotOf(long hdr) { return referringSlot[(hdr - HeaderBytes) / 8]; }

static void info(void)
{
    long nil, hiddenRoots, o, overflowHdr = 0, pointerHdr = 0, lastHdr = 0, count = 0;
    long specialsHdr, assocHdr, schedHdr, procHdr, bytesHdr = 0, zeroHdr = 0;
    uint32_t nilOop, ci, unusedClassIndex = 0;
    if (word32(0) != 6521 || word32(4) != HeaderBytes) { fprintf(stderr, "imgtool: not a Spur 32-bit image\n"); exit(2); }
    oldBase = word32(12);
    firstSegment = word32(48);
    if (HeaderBytes + (long)firstSegment > imageSize) { fprintf(stderr, "imgtool: first segment past the end of the file\n"); exit(2); }
    printf("filesize=%ld\ndatasize=%u\noldbase=%u\nspecials=%u\nfirstseg=%u\n", imageSize, word32(8), oldBase, word32(16), firstSegment);

    nil = headerAt(HeaderBytes);
    nilOop = (uint32_t)(nil - HeaderBytes) + oldBase;
    o = nil;
    for (int i = 0; i < 4; i++) o = nextObject(o); /* false, true, free lists, hidden roots */
    hiddenRoots = o;
    for (o = nil; o < segmentEnd(); o = nextObject(o)) {
        count++;
        lastHdr = o;
        if (!overflowHdr && numSlotsByte(o) == 255) overflowHdr = o;
        /* an ordinary pointer object after the memory manager's own, with a few nil-free slots */
        if (!pointerHdr && o > hiddenRoots && classIndex(o) >= 32 && format(o) >= 1 && format(o) <= 3
            && numSlots(o) >= 3 && numSlotsByte(o) != 255)
            pointerHdr = o;
    }
    /* the first class index past the memory manager's puns with no class in the class table */
    for (ci = 32; ci <= 0x3FFFFF && !unusedClassIndex; ci++) {
        uint32_t page = slot(hiddenRoots, ci >> 10);
        if (page == nilOop || slot(offsetOfOop(page), ci & 1023) == nilOop) unusedClassIndex = ci;
    }
    /* an object without slots that something refers to */
    findReferences(nil);
    for (o = nextObject(hiddenRoots); o < segmentEnd() && !zeroHdr; o = nextObject(o))
        if (classIndex(o) >= 32 && numSlots(o) == 0 && references(o) > 0) zeroHdr = o;
    /* a byte object with a few slots */
    for (o = nextObject(hiddenRoots); o < segmentEnd() && !bytesHdr; o = nextObject(o))
        if (classIndex(o) >= 32 && format(o) >= 16 && format(o) < 24 && numSlots(o) >= 8 && numSlotsByte(o) != 255)
            bytesHdr = o;
    /* the way to the active process: specials[3] an association, its value the scheduler */
    specialsHdr = offsetOfOop(word32(16));
    assocHdr = offsetOfOop(slot(specialsHdr, 3));
    schedHdr = offsetOfOop(slot(assocHdr, 1));
    procHdr = offsetOfOop(slot(schedHdr, 1));
    printf("specials_hdr=%ld\nassoc_hdr=%ld\nsched_hdr=%ld\nproc_hdr=%ld\n", specialsHdr, assocHdr, schedHdr, procHdr);
    printf("bytes_hdr=%ld\nbytes_oop=%u\n", bytesHdr, bytesHdr ? oopOf(bytesHdr) : 0);
    printf("zero_hdr=%ld\nspecials_refs=%d\nspecials_ref_slot=%ld\n", zeroHdr, references(specialsHdr), referringSlotOf(specialsHdr));
    printf("objects=%ld\nnil_hdr=%ld\nnil_oop=%u\nhiddenroots_hdr=%ld\n", count, nil, nilOop, hiddenRoots);
    printf("overflow_hdr=%ld\noverflow_slots=%ld\n", overflowHdr, overflowHdr ? numSlots(overflowHdr) : 0L);
    printf("pointer_hdr=%ld\npointer_slots=%ld\npointer_oop=%u\n", pointerHdr, numSlots(pointerHdr),
           oopOf(pointerHdr));
    printf("last_hdr=%ld\nlast_slots=%ld\nunused_class_index=%u\n", lastHdr, numSlots(lastHdr), unusedClassIndex);
    /* the mourn queue's first page (hidden root 4098), if any: its count, next page, entries */
    if (numSlots(hiddenRoots) > 4098 && slot(hiddenRoots, 4098) != nilOop) {
        long page = offsetOfOop(slot(hiddenRoots, 4098));
        printf("mournqueue_hdr=%ld\nmournqueue_count=%u\n", page, slot(page, 0));
    } else {
        printf("mournqueue_hdr=0\nmournqueue_count=0\n");
    }
    if (!overflowHdr || !pointerHdr || !unusedClassIndex || !bytesHdr || !zeroHdr) { fprintf(stderr, "imgtool: could not find every target object\n"); exit(2); }
}

static void put(const char *path, long off, unsigned long value, int bytes)
{
    FILE *f = fopen(path, "r+b");
    unsigned char b[4] = { (unsigned char)value, (unsigned char)(value >> 8), (unsigned char)(value >> 16), (unsigned char)(value >> 24) };
    if (!f) { perror(path); exit(2); }
    if (fseek(f, off, SEEK_SET) != 0 || fwrite(b, 1, (size_t)bytes, f) != (size_t)bytes || fclose(f) != 0) {
        fprintf(stderr, "imgtool: cannot write %s at %ld\n", path, off);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "info")) { load(argv[2]); info(); return 0; }
    if (argc == 4 && !strcmp(argv[1], "get32")) { load(argv[2]); printf("%u\n", word32(strtol(argv[3], NULL, 0))); return 0; }
    if (argc == 5 && !strcmp(argv[1], "put32")) { put(argv[2], strtol(argv[3], NULL, 0), strtoul(argv[4], NULL, 0), 4); return 0; }
    if (argc == 5 && !strcmp(argv[1], "put8")) { put(argv[2], strtol(argv[3], NULL, 0), strtoul(argv[4], NULL, 0), 1); return 0; }
    fprintf(stderr, "usage: imgtool info FILE | get32 FILE OFFSET | put32 FILE OFFSET VALUE | put8 FILE OFFSET VALUE\n");
    return 2;
}
