/* The platform's side of the debugging options: deterministic mode, digests (written here, one
 * line each), crash snapshots (where, and the VM's word on them) and --snapshot-on-method's
 * method. The spec does the work (vmspec/clock.c, safepoints.c, digest.c, snapshot.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_internal.h"
#include "../vmspec/vm.h"

/* vmspec/constants.h CrashSnapshot* */
enum { ReasonAt = 1, ReasonOnMethod = 2, ReasonAssertion = 3, NotPossible = -2 };

/* the order in which vmspec/digest.c emitDigest gives the values */
static const char digestFields[] = "count method pc sp fp frame callers receiver new eden old hash process name";

static int deterministic;
static long digestEvery, digestFrom;
static const char *digestFile;
static int digestFd = -1;
static FILE *digestOut;
static int digestValues;
static long snapshotAt;
static const char *snapshotAtFile, *onMethodFile, *onMethodName, *assertFile;
static char assertDefault[4200];
static int inAssertion, firedAt, firedOnMethod;

static _Noreturn void optionError(const char *opt, const char *what)
{
    fprintf(stderr, "%s: %s %s\n", platformProgramName(), opt, what);
    exit(64);
}

/* argv[*i + 1] as a number >= min, or a usage error */
static long numberArgument(int argc, char **argv, int *i, long min, const char *what)
{
    const char *opt = argv[*i], *arg = platformOptionArgument(argc, argv, i, opt, what);
    char *end;
    long n;
    errno = 0;
    n = strtol(arg, &end, 10);
    if (end == arg || *end != '\0' || errno != 0 || n < min) optionError(opt, what);
    return n;
}

static const char *fileArgument(int argc, char **argv, int *i, const char *opt, const char *what)
{
    const char *arg = platformOptionArgument(argc, argv, i, opt, what);
    if (arg[0] == '\0') optionError(opt, what);
    return arg;
}

int platformDebugOption(int argc, char **argv, int *i)
{
    const char *opt = argv[*i];
    if (!strcmp(opt, "--deterministic")) deterministic = 1;
    else if (!strcmp(opt, "--digest-every")) digestEvery = numberArgument(argc, argv, i, 1, "needs a positive number of bytecodes");
    else if (!strcmp(opt, "--digest-from")) digestFrom = numberArgument(argc, argv, i, 0, "needs a bytecode count (0 or more)");
    else if (!strcmp(opt, "--digest-fd")) digestFd = (int)numberArgument(argc, argv, i, 1, "needs a file descriptor number (1 or more)");
    else if (!strcmp(opt, "--digest-file")) digestFile = fileArgument(argc, argv, i, opt, "needs a file name");
    else if (!strcmp(opt, "--snapshot-at")) {
        snapshotAt = numberArgument(argc, argv, i, 1, "needs a positive bytecode count and a file name");
        snapshotAtFile = fileArgument(argc, argv, i, opt, "needs a file name after the bytecode count");
    } else if (!strcmp(opt, "--snapshot-on-method")) {
        const char *sep;
        onMethodName = platformOptionArgument(argc, argv, i, opt, "needs Class>>selector and a file name");
        sep = strstr(onMethodName, ">>");
        if (!sep || sep == onMethodName || sep[2] == '\0')
            optionError(opt, "needs a method as Class>>selector or Class class>>selector");
        onMethodFile = fileArgument(argc, argv, i, opt, "needs a file name after the method");
    } else if (!strcmp(opt, "--assert-snapshot")) assertFile = fileArgument(argc, argv, i, opt, "needs a file name");
    else return 0;
    return 1;
}

int platformDeterministic(void) { return deterministic; }

static void openDigests(void)
{
    if (digestFile) {
        digestOut = fopen(digestFile, "w");
        if (!digestOut) {
            fprintf(stderr, "%s: --digest-file %s: %s\n", platformProgramName(), digestFile, strerror(errno));
            exit(64);
        }
    } else {
        digestOut = fdopen(digestFd >= 0 ? digestFd : 2, "w");
        if (!digestOut) {
            fprintf(stderr, "%s: --digest-fd %d: %s\n", platformProgramName(), digestFd, strerror(errno));
            exit(64);
        }
    }
    setvbuf(digestOut, NULL, _IOFBF, 1 << 16);
    fprintf(digestOut, "# talc digests %s, %d-bit%s: %s\n", TALC_FLAVOUR, (int)vmWordBytes() * 8,
            deterministic ? ", deterministic" : "", digestFields);
}

void platformArmDebugging(void)
{
    const char *test = getenv("TALC_TEST_ASSERTION_FAILS_AT");
    const char *image = platformImagePath();
    size_t len = strlen(image);
    if (len > 6 && !strcmp(image + len - 6, ".image")) len -= 6;
    snprintf(assertDefault, sizeof assertDefault, "%.*s-assert-crash.image", (int)len, image);
    if (deterministic) setDeterministic(1);
    if (digestEvery > 0 || digestFrom > 0 || digestFile || digestFd >= 0) {
        openDigests();
        armDigests(digestEvery > 0 ? digestEvery : 1, digestFrom);
    }
    if (snapshotAt > 0) armSnapshotAt(snapshotAt);
    if (onMethodName) armSnapshotOnMethod();
    if (test && atol(test) > 0) armTestAssertionFailure(atol(test));
}

void platformFlushDigests(void)
{
    if (digestOut) fflush(digestOut);
}

const char *platformCrashSnapshotPath(sqInt reason)
{
    if (reason == ReasonAt) return snapshotAtFile;
    if (reason == ReasonOnMethod) return onMethodFile;
    if (reason == ReasonAssertion) return assertFile ? assertFile : assertDefault;
    return NULL;
}

/* "Class>>selector", "Class class>>selector", with ? for what is unknown */
static void methodName(char *out, size_t size, sqInt clsAddr, sqInt clsLen, sqInt isMeta, sqInt selAddr, sqInt selLen)
{
    int c = clsLen > 0 && clsLen < 200 ? (int)clsLen : 0, s = selLen > 0 && selLen < 200 ? (int)selLen : 0;
    snprintf(out, size, "%.*s%s%s>>%.*s", c, c ? (const char *)vmHostPointer(clsAddr, c) : "", c ? "" : "?",
             isMeta ? " class" : "", s, s ? (const char *)vmHostPointer(selAddr, s) : "?");
}

void platformDigestValue(sqInt value, sqInt hex)
{
    if (!digestOut) return;
    if (digestValues++) fputc(' ', digestOut);
    if (hex) fprintf(digestOut, "%lx", (unsigned long)value);
    else fprintf(digestOut, "%ld", (long)value);
}

void platformDigestEnd(sqInt classNameAddress, sqInt classNameLength, sqInt isMeta, sqInt selectorAddress, sqInt selectorLength, sqInt inBlock)
{
    char name[500];
    if (!digestOut) return;
    methodName(name, sizeof name, classNameAddress, classNameLength, isMeta, selectorAddress, selectorLength);
    fprintf(digestOut, " %s%s\n", inBlock ? "[] in " : "", name);
    digestValues = 0;
}

sqInt platformIsSnapshotMethod(sqInt classNameAddress, sqInt classNameLength, sqInt isMeta, sqInt selectorAddress, sqInt selectorLength)
{
    char name[500];
    if (!onMethodName) return 0;
    methodName(name, sizeof name, classNameAddress, classNameLength, isMeta, selectorAddress, selectorLength);
    return strcmp(name, onMethodName) == 0;
}

void platformCrashSnapshotWritten(sqInt reason, sqInt status, sqInt bytecodeCount)
{
    const char *path = platformCrashSnapshotPath(reason), *sim = vmWordBytes() == 8 ? "talc-sim" : "talc-sim32";
    fflush(stdout);
    if (reason == ReasonAt) firedAt = 1;
    if (reason == ReasonOnMethod) firedOnMethod = 1;
    if (status != 0) {
        fprintf(stderr, "%s: could not write the crash snapshot %s: %s\n", platformProgramName(), path ? path : "(no file)",
                strerror(errno));
        return;
    }
    if (reason == ReasonAt)
        fprintf(stderr, "%s: crash snapshot written to %s at bytecode %ld (--snapshot-at %ld); %s %s resumes there\n",
                platformProgramName(), path, (long)bytecodeCount, snapshotAt, sim, path);
    else if (reason == ReasonOnMethod)
        fprintf(stderr, "%s: crash snapshot written to %s at bytecode %ld, entering %s; %s %s resumes there\n",
                platformProgramName(), path, (long)bytecodeCount, onMethodName, sim, path);
    else
        fprintf(stderr, "%s: the state at the failed assertion was written to %s (bytecode %ld); %s %s resumes there\n",
                platformProgramName(), path, (long)bytecodeCount, sim, path);
}

/* the VM aborts: write where it stands first, if that is possible and wanted (the assert
 * flavours, or --assert-snapshot); an assertion failing while it is written ends it */
void platformAssertionSnapshot(void)
{
    sqInt rc;
    if (!assertFile && !vmAssertionsBuilt()) return;
    if (inAssertion++) {
        fprintf(stderr, "%s: no crash snapshot: another assertion failed while it was being written (the heap is not sound)\n",
                platformProgramName());
        return;
    }
    rc = writeAssertionSnapshot();
    if (rc == NotPossible)
        fprintf(stderr, "%s: no crash snapshot: the assertion failed inside a garbage collection or a snapshot, where the heap "
                        "cannot be written as it stands; run with --deterministic --snapshot-at N (N below %ld) for the state before\n",
                platformProgramName(), (long)vmBytecodeCount());
}

/* the image quit: say so if a snapshot asked for never came */
void platformDebuggingDone(void)
{
    if (snapshotAt > 0 && !firedAt)
        fprintf(stderr, "%s: --snapshot-at %ld: the image quit after %ld bytecodes, before that; no crash snapshot written\n",
                platformProgramName(), snapshotAt, (long)vmBytecodeCount());
    if (onMethodName && !firedOnMethod)
        fprintf(stderr, "%s: --snapshot-on-method %s: the method was never entered; no crash snapshot written\n",
                platformProgramName(), onMethodName);
    platformFlushDigests();
}
