/* libFuzzer target for the image loader (vmspec/image_load.c), built on the simulator: the spec
 * compiled with -DTALC_SIM, every VM-memory access checked.
 *
 * Each input is an image file held in memory. loadImage must end in LoadOK or in one of the
 * LoadErr* codes. Anything else is a finding: a crash or a sanitizer report, a hang, a failed
 * checked access or assertion of the simulator (which would end the process through
 * platformExit: it is wrapped here, see below, so that libFuzzer sees an abort and saves the
 * input), or a code outside the LoadErr* range. The interpreter never runs.
 *
 * Built for Spur 32-bit and 64-bit (-DTALC_WORD_BYTES=4 or 8) and run by tests/fuzz/run.sh
 * (make fuzz). A new LoadErr* code past LoadErrWordSize must be added below. This file
 * stands in for platforms/main.c and platforms/image_file.c: the image "file" is the
 * fuzzer's buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "../platforms/platform_internal.h"

static const uint8_t *imageData;
static int report;          /* FUZZ_LOADER_REPORT set: one line per input with the load result */
static size_t imageBytes;

/* ---- the image file, in memory ---- */
int platformOpenImage(const char *path) { (void)path; return 1; }
void platformCloseImage(void) {}
const char *platformImagePath(void) { return "fuzz.image"; }
sqInt platformImageFileSize(void) { return (sqInt)imageBytes; }

sqInt platformReadImageBytes(sqInt fileOffset, sqInt address, sqInt length)
{
    sqInt n;
    if (fileOffset < 0 || length < 0) return -1;
    if ((size_t)fileOffset >= imageBytes) return length == 0 ? 0 : -1;
    n = (sqInt)(imageBytes - (size_t)fileOffset);
    if (n > length) n = length;
    memcpy(vmHostPointer(address, n), imageData + fileOffset, (size_t)n);
    return n > 0 ? n : -1;
}

/* the loader never writes an image; the snapshot primitive is not reached from here */
sqInt platformWriteImageFile(sqInt target, sqInt headerAddress, sqInt headerLength, sqInt bodyAddress, sqInt bodyLength,
                             sqInt trailerAddress, sqInt trailerLength)
{
    (void)target; (void)headerAddress; (void)headerLength; (void)bodyAddress; (void)bodyLength;
    (void)trailerAddress; (void)trailerLength;
    return -1;
}

sqInt platformImageNameLength(void) { return (sqInt)strlen(platformImagePath()); }

sqInt platformCopyImageName(sqInt address, sqInt maxLength)
{
    sqInt n = platformImageNameLength();
    if (n > maxLength) n = maxLength;
    memcpy(vmHostPointer(address, n), platformImagePath(), (size_t)n);
    return n;
}

/* The simulator ends the process with platformExit (it uses _exit, which libFuzzer cannot see)
 * when a checked access or an assertion fails. The fuzzer links with -Wl,--wrap=platformExit,
 * so those calls land here: the message is already on stderr, abort() makes it a finding. */
_Noreturn void __wrap_platformExit(sqInt status)
{
    fflush(stdout);
    fprintf(stderr, "fuzz_loader: the VM exited with status %ld while loading an image\n", (long)status);
    abort();
}

/* the simulator installs signal handlers that end the process quietly with _exit(70): let
 * AddressSanitizer keep its own for SIGSEGV, SIGBUS and SIGFPE, so that a crash is a finding */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allow_user_segv_handler=0"; }

/* ---- a fresh VM for every input ---- */
static void resetVM(void)
{
#define RESET_SCALAR(type, name, init) name = (init);
#define RESET_ARRAY(type, name, count) memset(name, 0, sizeof name);
    VM_STATE(RESET_SCALAR, RESET_ARRAY)
#undef RESET_SCALAR
#undef RESET_ARRAY
    simReleaseMemory();
}

static _Noreturn void finding(const char *what, sqInt rc)
{
    fprintf(stderr, "fuzz_loader: %s (loadImage returned %ld, loadError %ld)\n", what, (long)rc, (long)loadError);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    platformSetProgramName("fuzz_loader");
    report = getenv("FUZZ_LOADER_REPORT") != NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sqInt rc;
    resetVM();
    imageData = data;
    imageBytes = size;
    rc = loadImage((sqInt)size);
    if (rc < LoadOK || rc > LoadErrWordSize) finding("unknown load result", rc);
    if (rc != loadError) finding("result and loadError disagree", rc);
    if (rc == LoadOK) {
        /* what the interpreter relies on once the loader said yes */
        if (!simIsObjectStart(nilObj) || !simIsObjectStart(hiddenRootsObj) || !simIsObjectStart(specialObjectsOop)
            || endOfOldObjects <= oldSpaceStart || endOfOldObjects > oldSpaceLimit)
            finding("loaded, but the roots are not objects", rc);
    }
    if (report) fprintf(stderr, "fuzz_loader: %zu bytes: load result %ld\n", size, (long)rc);
    simReleaseMemory();
    return 0;
}
