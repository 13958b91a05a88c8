/* GC on a copy of the heap. Before every collection the simulator forks: the child is an exact
 * copy of the heap and of the VM state (copy-on-write, same addresses, so oops stay valid) and
 * runs the collection and the heap verifier there. Only if the copy's collection passes does
 * the parent run it on the original, where the verifier is not run again. A collector that fails an assertion, a checked access or
 * the verifier therefore fails on the copy; the parent still holds the untouched original,
 * verifies it, and can re-run the same collection on fresh copies (--gc-replay N, or
 * talc.gcReplay() from a script) to see the failure again, as often as wanted. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "gc_copy.h"
#include "../platform_internal.h"

static int copyEnabled = 1;
static long replaysOnFailure;
static int inCopy;        /* this process is a copy running one collection */
static int depth;         /* a full GC's own scavenge runs inside it, on the same copy */
static int verifiedOnCopy; /* the original's collection under way passed, verified, on its copy */
static long copiesRun;
static double copySeconds;
static char *firstReport; /* the failing copy's report, to compare replays with */
/* where a replay's copy resumes: inside simGCBegin of the failed collection, whatever (a
 * script's prompt, say) called the replay; the copy never returns to its caller */
static jmp_buf replayPoint;

/* wall time, not the VM's clock (which a deterministic run may fake) */
static double nowSeconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *kindName(intptr_t kind) { return kind == GCKindFull ? "full GC" : "scavenge"; }

static long gcNumber(intptr_t kind) { return kind == GCKindFull ? (long)fullGCCount + 1 : (long)scavengeCount + 1; }

/* runs the collection on a copy; answers its exit status, its stderr in *report (malloc'd) */
static int runOnCopy(char **report)
{
    int fds[2], status = 0;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;
    pid_t pid;
    if (!buf || pipe(fds) != 0) { perror("GC copy"); platformExit(70); }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) { perror("GC copy: fork"); platformExit(70); }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        close(fds[1]);
        inCopy = 1;
        return -1; /* the child goes on into the collection */
    }
    close(fds[1]);
    for (;;) {
        if (len + 1024 > cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) { perror("GC copy"); platformExit(70); }
            buf = bigger;
        }
        n = read(fds[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    *report = buf;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

static intptr_t failedKind;

/* one more run of the failed collection on a fresh copy of the original: 1 if it failed the
 * same way as the first time */
int simGCReplay(void)
{
    char *report = NULL;
    int status, same;
    if (!firstReport) { fprintf(stderr, "%s: no failed collection to replay\n", platformProgramName()); return 0; }
    depth = 1;
    status = runOnCopy(&report);
    if (status < 0) longjmp(replayPoint, 1); /* in the copy: into the collection, as the first time */
    depth = 0;
    same = status != 0 && strcmp(report, firstReport) == 0;
    fprintf(stderr, "%s: replay of %s #%ld on a fresh copy: %s\n", platformProgramName(), kindName(failedKind), gcNumber(failedKind),
            status == 0 ? "passed (the failure did not repeat)" : same ? "failed identically" : "failed differently:");
    if (status != 0 && !same) fputs(report, stderr);
    free(report);
    return same;
}

static _Noreturn void stopAfterFailure(intptr_t kind, int status)
{
    sqInt bad;
    long i;
    fprintf(stderr, "%s: %s #%ld failed on a copy of the heap (status %d):\n", platformProgramName(), kindName(kind), gcNumber(kind), status);
    fputs(firstReport, stderr);
    bad = verifyHeap();
    if (bad == 0) fprintf(stderr, "%s: the original heap, untouched by the failed collection, verifies\n", platformProgramName());
    else fprintf(stderr, "%s: the original heap does not verify either (%ld bad references): the damage predates this collection\n", platformProgramName(), (long)bad);
    failedKind = kind;
    for (i = 0; i < replaysOnFailure; i++)
        if (!simGCReplay()) break;
    simStopOnFailedGC();
    platformExit(70);
}

void simGCBegin(intptr_t kind)
{
    char *report = NULL;
    int status;
    double t0;
    if (!copyEnabled) return;
    if (depth++ > 0 || inCopy) return;
    if (setjmp(replayPoint)) return;
    t0 = nowSeconds();
    status = runOnCopy(&report);
    if (status < 0) return;
    copiesRun += 1;
    copySeconds += nowSeconds() - t0;
    if (status != 0) {
        firstReport = report;
        failedKind = kind;
        depth = 0;
        stopAfterFailure(kind, status);
    }
    if (report[0]) fputs(report, stderr); /* a copy that passed said something: pass it on */
    free(report);
    verifiedOnCopy = 1;
}

int simCollectionVerifiedOnCopy(void) { return verifiedOnCopy; }

void simGCEnd(intptr_t kind)
{
    (void)kind;
    if (!copyEnabled) return;
    if (--depth > 0) return;
    verifiedOnCopy = 0;
    if (inCopy) {
        /* the copy's collection is done and was verified at its end (the spec's ASSERT) */
        fflush(stderr);
        _exit(0);
    }
}

/* the scripting layer replaces this to offer its prompt before the simulator stops */
__attribute__((weak)) void simStopOnFailedGC(void) {}

long simGCCopiesRun(void) { return copiesRun; }
double simGCCopySeconds(void) { return copySeconds; }
void simSetGCCopy(int on) { copyEnabled = on; }

/* --no-gc-copy, --gc-replay N */
int simGCCopyOption(int argc, char **argv, int *i)
{
    const char *arg;
    char *end;
    if (!strcmp(argv[*i], "--no-gc-copy")) { copyEnabled = 0; return 1; }
    if (strcmp(argv[*i], "--gc-replay") != 0) return 0;
    arg = platformOptionArgument(argc, argv, i, "--gc-replay", "needs a count");
    replaysOnFailure = strtol(arg, &end, 10);
    if (end == arg || *end || replaysOnFailure < 0) { fprintf(stderr, "%s: --gc-replay needs a count, not '%s'\n", platformProgramName(), argv[*i]); exit(64); }
    return 1;
}

void platformSimStats(void)
{
    fprintf(stderr, "%s: GC: collections run on a copy first: %ld, %.3f s in the copies\n", platformProgramName(), copiesRun, copySeconds);
}
