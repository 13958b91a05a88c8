/* The text of the VM's errors: image load errors and fatal errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_internal.h"
#include "../vmspec/vm.h"

sqInt vmWordBytesForReport(void) { return vmWordBytes(); }

/* the spec's codes (vmspec/constants.h LoadErr*, Fatal*) */
void platformReportLoadError(const char *image, sqInt code, sqInt a, sqInt b)
{
    const char *p = platformProgramName();
    fflush(stdout);
    switch (code) {
    case 1: fprintf(stderr, "%s: %s: not an image: file too small (%ld bytes, a header needs %ld)\n", p, image, (long)a, (long)b); break;
    case 2:
        if (a == 6501 || a == 6502 || a == 6504 || a == 68000 || a == 68002 || a == 68004)
            fprintf(stderr, "%s: %s: unsupported image format %ld (a pre-Spur V3 image; Talc runs Spur images, formats 6521 and 68021)\n", p, image, (long)a);
        else if (a == 0x79190000 || a == 0xB5090100)   /* 6521 and 68021 with their bytes swapped */
            fprintf(stderr, "%s: %s: unsupported image: unknown format number 0x%lx, a big-endian (byte-swapped) Spur image; Talc runs little-endian images\n", p, image, (unsigned long)a);
        else
            fprintf(stderr, "%s: %s: not a Spur image: unknown format number %ld (0x%lx)\n", p, image, (long)a, (unsigned long)a);
        break;
    case 3: fprintf(stderr, "%s: %s: corrupt image header: header size %ld\n", p, image, (long)a); break;
    case 4: fprintf(stderr, "%s: %s: truncated or inconsistent image: the header describes %ld bytes, the file has %ld\n", p, image, (long)a, (long)b); break;
    case 5: fprintf(stderr, "%s: %s: cannot reserve %ld bytes of memory for the image\n", p, image, (long)a); break;
    case 6: fprintf(stderr, "%s: %s: cannot read the image body (%ld bytes at offset %ld)\n", p, image, (long)b, (long)a); break;
    case 7: fprintf(stderr, "%s: %s: corrupt image: segment %ld has a bad size (%ld)\n", p, image, (long)a, (long)b); break;
    case 8: fprintf(stderr, "%s: %s: corrupt image: bad object header at file offset %ld (check %ld)\n", p, image, (long)a, (long)b); break;
    case 9: fprintf(stderr, "%s: %s: corrupt image: object at file offset %ld has an invalid reference in slot %ld\n", p, image, (long)a, (long)b); break;
    case 10: fprintf(stderr, "%s: %s: corrupt image: object at file offset %ld has class index %ld, not in the class table\n", p, image, (long)a, (long)b); break;
    case 11: fprintf(stderr, "%s: %s: corrupt image: bad hidden roots or special objects (file offset %ld, check %ld)\n", p, image, (long)a, (long)b); break;
    case 12: fprintf(stderr, "%s: %s: corrupt image: more than %ld segments\n", p, image, (long)b); break;
    case 13: fprintf(stderr, "%s: %s: corrupt image: no runnable active process (check %ld)\n", p, image, (long)b); break;
    case 14:
#ifdef TALC_SIM
        fprintf(stderr, "%s: %s: this is a %ld-bit image (format %ld) and this simulator runs %ld-bit images: build its sibling (make build/talc-sim%s)\n",
                p, image, (long)b * 8, (long)a, (long)vmWordBytesForReport() * 8, b == 4 ? "32" : "");
        break;
#endif
        fprintf(stderr, "%s: %s: this is a %ld-bit image (format %ld) and this VM runs %ld-bit images: build and use the stack-spur%ld flavour (make FLAVOUR=stack-spur%ld)\n",
                p, image, (long)b * 8, (long)a, (long)vmWordBytesForReport() * 8, (long)b * 8, (long)b * 8);
        break;
    default: fprintf(stderr, "%s: %s: cannot load image (error %ld)\n", p, image, (long)code); break;
    }
}

void platformReportMissingPrimitive(sqInt index, sqInt moduleAddress, sqInt moduleLength, sqInt nameAddress, sqInt nameLength)
{
    static unsigned char seen[1024];
    static char named[64][128];
    static int namedCount;
    char text[128];
    int i;
    if (index != 117) {
        if (index >= 0 && index < 1024) {
            if (seen[index]) return;
            seen[index] = 1;
        }
        fprintf(stderr, "%s: missing primitive %ld\n", platformProgramName(), (long)index);
        return;
    }
    snprintf(text, sizeof text, "%.*s>>%.*s", (int)(moduleLength < 60 ? moduleLength : 60),
             moduleLength ? (const char *)vmHostPointer(moduleAddress, moduleLength) : "",
             (int)(nameLength < 60 ? nameLength : 60), (const char *)vmHostPointer(nameAddress, nameLength));
    for (i = 0; i < namedCount; i++)
        if (!strcmp(named[i], text)) return;
    if (namedCount < 64) strcpy(named[namedCount++], text);
    fprintf(stderr, "%s: missing named primitive %s\n", platformProgramName(), text);
}

void platformReportBadReference(sqInt where, sqInt slot, sqInt value)
{
    fflush(stdout);
    if (slot == -1)
        fprintf(stderr, "%s: heap verification: old object 0x%lx refers to new space but is not remembered\n", platformProgramName(), (unsigned long)where);
    else if (slot == -3)
        fprintf(stderr, "%s: heap verification: free lists: 0x%lx is wrong for 0x%lx (a bad chunk, a chunk on the wrong list, a wrong mask bit or a wrong total)\n",
                platformProgramName(), (unsigned long)value, (unsigned long)where);
    else if (slot == -4)
        fprintf(stderr, "%s: heap verification: young object 0x%lx is pinned\n", platformProgramName(), (unsigned long)where);
    else if (slot == -5)
        fprintf(stderr, "%s: heap verification: object 0x%lx has class index %ld, which names no class (or not its own entry)\n",
                platformProgramName(), (unsigned long)where, (long)value);
    else if (slot == -6)
        fprintf(stderr, "%s: heap verification: forwarder 0x%lx where none may be\n", platformProgramName(), (unsigned long)where);
    else if (slot == -7)
        fprintf(stderr, "%s: heap verification: 0x%lx names forwarder 0x%lx where the VM reads without the read barrier (a frame's method or receiver, the special objects, the class table)\n",
                platformProgramName(), (unsigned long)where, (unsigned long)value);
    else if (slot == -8)
        fprintf(stderr, "%s: heap verification: mourn queue page 0x%lx: 0x%lx is wrong (not a page, a wrong count or free list, or an entry that is no old object or is queued twice)\n",
                platformProgramName(), (unsigned long)where, (unsigned long)value);
    else if (slot == -9)
        fprintf(stderr, "%s: heap verification: object 0x%lx is still marked as an unscanned ephemeron (grey bit)\n", platformProgramName(), (unsigned long)where);
    else if (slot == -2)
        fprintf(stderr, "%s: heap verification: the frame slot at 0x%lx holds 0x%lx, not a valid reference\n", platformProgramName(), (unsigned long)where, (unsigned long)value);
    else
        fprintf(stderr, "%s: heap verification: slot %ld of object 0x%lx holds 0x%lx, not a valid reference\n",
                platformProgramName(), (long)slot, (unsigned long)where, (unsigned long)value);
}

static const char *fatalMessage(sqInt code)
{
    switch (code) {
    case 1: return "out of memory (old space is full: the scavenger collects new space, a full garbage collector is not in yet)";
    case 2: return "a context is too small for its frame";
    case 3: return "cannot resume an invalid context";
    case 4: return "unknown bytecode";
    case 5: return "recursive doesNotUnderstand:";
    case 6: return "no runnable process";
    case 7: return "method and send disagree on the number of arguments";
    case 8: return "invalid process";
    default: return "internal error";
    }
}

_Noreturn void platformFatalError(sqInt code, sqInt bytecodeCount, sqInt method)
{
    fflush(stdout);
    fprintf(stderr, "%s: fatal VM error: %s (after %ld bytecodes, in method at 0x%lx)\n",
            platformProgramName(), fatalMessage(code), (long)bytecodeCount, (unsigned long)method);
    platformFatalHook();
    platformExit(70);
}

_Noreturn void vmAssertFailed(const char *expr, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s:%d: assertion failed: %s (after %ld bytecodes)\n", platformProgramName(), file, line, expr,
            (long)vmBytecodeCount());
    platformFatalHook();
    platformAssertionSnapshot();
    platformExit(70);
}
