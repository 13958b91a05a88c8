/* corrupt_startup IN OUT BYTE: copy a 32-bit Spur image, replacing the next bytecode of its
 * start-up context (the active process's suspended context) by BYTE. Used to show how the
 * simulator stops on bytecodes that reach outside an object. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char *image;
static long size;
static uint32_t oldBase;

static uint32_t word(long offset) { return (uint32_t)image[offset] | (uint32_t)image[offset + 1] << 8 | (uint32_t)image[offset + 2] << 16 | (uint32_t)image[offset + 3] << 24; }
/* file offset of an oop of the saved heap (one segment, 64-byte header) */
static long at(uint32_t oop) { return (long)(oop - oldBase) + 64; }
static uint32_t slot(uint32_t oop, int i) { return word(at(oop) + 8 + 4 * i); }

int main(int argc, char **argv)
{
    FILE *f;
    uint32_t sched, proc, ctx, method, pc;
    long target;
    if (argc != 4) { fprintf(stderr, "usage: corrupt_startup IN OUT BYTE\n"); return 2; }
    f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    image = malloc((size_t)size);
    if (!image || fread(image, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
    fclose(f);
    if (word(0) != 6521) { fprintf(stderr, "%s: not a 32-bit Spur image\n", argv[1]); return 1; }
    oldBase = word(12);
    sched = slot(slot(word(16), 3), 1);
    proc = slot(sched, 1);
    ctx = slot(proc, 1);
    method = slot(ctx, 3);
    pc = slot(ctx, 1) >> 1;
    target = at(method) + 8 + (long)pc - 1;
    if (target <= 64 || target >= size) { fprintf(stderr, "start-up pc outside the file\n"); return 1; }
    printf("start-up method at 0x%x, pc %u: byte %u replaced by %s\n", method, pc, image[target], argv[3]);
    image[target] = (unsigned char)strtol(argv[3], NULL, 0);
    f = fopen(argv[2], "wb");
    if (!f || fwrite(image, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) { perror(argv[2]); return 1; }
    return 0;
}
