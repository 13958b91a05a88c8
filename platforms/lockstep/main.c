/* talc-lockstep [options] IMAGE [image-arguments]
 *
 * Runs talc and talc-sim on the image, both --deterministic, each writing a digest of its state
 * (platforms/debugging.c, vmspec/digest.c) every N bytecodes into a pipe, and compares the two
 * streams record by record. At the first record that differs both are killed; the check then
 * runs again with a digest at every safe point from the last record that agreed, to name the
 * first safe point where they part. With no difference in the digests, the exit statuses and
 * the outputs are compared too.
 * Exit status: 0 no divergence, 1 a divergence, 2 a VM could not run or the time ran out,
 * 64 bad usage. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockstep.h"

#define MaxVariants 16

typedef struct {
    long every, timeout;
    int refine;
    const char *talc, *sim, *image;
    const char *variants[MaxVariants];
    int variantCount;
    char **imageArgs;
    int imageArgCount;
    char work[4200];
} Options;

enum { Agree, Differ, Ended, NotRun, TimedOut };

typedef struct {
    int outcome;
    Vm talc, sim;
    Record a, b, prev;  /* the first records that differ (a talc's, b talc-sim's), the last agreeing */
    int havePrev, talcEnded, simEnded;
    long agreeing;
    char talcHeader[512], simHeader[512];
} Pass;

static volatile sig_atomic_t timedOut;
static void onAlarm(int sig) { (void)sig; timedOut = 1; }

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: talc-lockstep [options] IMAGE [image-arguments]\n"
            "Runs talc and talc-sim side by side on IMAGE, deterministic, and reports the first point\n"
            "where their states differ (bytecode count, method, pc, which value), or that there is none.\n\n"
            "Options:\n"
            "  --every N          a digest every N bytecodes (default 10000); the first difference is\n"
            "                     then narrowed to a safe point with a digest at each one\n"
            "  --no-refine        report the first differing digest without narrowing it\n"
            "  --talc PATH        the production VM (default: talc beside talc-lockstep)\n"
            "  --sim PATH         the simulator (default: talc-sim beside talc-lockstep)\n"
            "  --variant KEY=VAL  passed to the simulator (repeatable)\n"
            "  --timeout S        give up after S seconds for each run (default 900)\n"
            "  --help\n\n"
            "Exit status: 0 no divergence, 1 divergence, 2 a VM could not run or time ran out, 64 usage.\n");
}

static _Noreturn void usageError(const char *what, const char *arg)
{
    fprintf(stderr, "talc-lockstep: %s%s%s (try --help)\n", what, arg ? ": " : "", arg ? arg : "");
    exit(64);
}

static long positive(const char *opt, const char *s)
{
    char *end;
    long n;
    errno = 0;
    n = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end || errno || n <= 0) usageError("needs a positive number", opt);
    return n;
}

/* argv[i + 1], the argument of option argv[i], or NULL when there is none; when it is the last
 * word it is the image path, and the option's argument was left out */
static const char *argumentOf(int argc, char **argv, int i)
{
    if (i + 1 >= argc) return NULL;
    if (i + 2 >= argc) {
        fprintf(stderr, "talc-lockstep: %s needs its argument before the image path (only '%s' follows it)\n", argv[i], argv[i + 1]);
        exit(64);
    }
    return argv[i + 1];
}

/* the VMs default to the ones built beside this tool */
static const char *besideMe(const char *name)
{
    static char paths[2][4200];
    static int next;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *out = paths[next++ % 2];
    if (n <= 0) return name;
    self[n] = '\0';
    if (strrchr(self, '/')) *strrchr(self, '/') = '\0';
    snprintf(out, sizeof paths[0], "%s/%s", self, name);
    return out;
}

static void parseOptions(int argc, char **argv, Options *o)
{
    int i;
    o->every = 10000;
    o->timeout = 900;
    o->refine = 1;
    o->talc = besideMe("talc");
    o->sim = besideMe("talc-sim");
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i], *next;
        if (!strcmp(a, "--")) { i++; break; }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); exit(0); }
        if (!strcmp(a, "--no-refine")) { o->refine = 0; continue; }
        if (strcmp(a, "--every") && strcmp(a, "--timeout") && strcmp(a, "--talc") && strcmp(a, "--sim") && strcmp(a, "--variant"))
            usageError("unknown option", a);
        next = argumentOf(argc, argv, i);
        if (!strcmp(a, "--every")) { o->every = positive(a, next); i++; continue; }
        if (!strcmp(a, "--timeout")) { o->timeout = positive(a, next); i++; continue; }
        if (!strcmp(a, "--talc") || !strcmp(a, "--sim")) {
            if (!next || !*next) usageError("needs a path", a);
            if (a[2] == 't') o->talc = next;
            else o->sim = next;
            i++;
            continue;
        }
        if (!strcmp(a, "--variant")) {
            if (!next || !strchr(next, '=')) usageError("needs key=value", a);
            if (o->variantCount == MaxVariants) usageError("too many variants", a);
            o->variants[o->variantCount++] = next;
            i++;
        }
    }
    if (i >= argc) usageError("no image given", NULL);
    o->image = argv[i];
    o->imageArgs = argv + i + 1;
    o->imageArgCount = argc - i - 1;
}

/* the command line of one VM: its options, then the image and its arguments */
static char **commandLine(const Options *o, int sim, long every, long from)
{
    static char everyText[2][32], fromText[2][32];
    char **v = calloc((size_t)(16 + 2 * o->variantCount + o->imageArgCount), sizeof *v);
    int n = 0, i;
    if (!v) { perror("talc-lockstep"); exit(2); }
    snprintf(everyText[sim], sizeof everyText[0], "%ld", every);
    snprintf(fromText[sim], sizeof fromText[0], "%ld", from);
    v[n++] = (char *)(sim ? o->sim : o->talc);
    v[n++] = "--deterministic";
    v[n++] = "--digest-every";
    v[n++] = everyText[sim];
    if (from > 0) {
        v[n++] = "--digest-from";
        v[n++] = fromText[sim];
    }
    v[n++] = "--digest-fd";
    v[n++] = "3";
    for (i = 0; sim && i < o->variantCount; i++) {
        v[n++] = "--variant";
        v[n++] = (char *)o->variants[i];
    }
    v[n++] = "--";
    v[n++] = (char *)o->image;
    for (i = 0; i < o->imageArgCount; i++) v[n++] = o->imageArgs[i];
    v[n] = NULL;
    return v;
}

static void stopBoth(Pass *p)
{
    vmKill(&p->talc);
    vmKill(&p->sim);
}

/* one side by side run: digests every `every` bytecodes from `from` on */
static void runPass(const Options *o, Pass *p, long every, long from)
{
    char **talcArgs = commandLine(o, 0, every, from), **simArgs = commandLine(o, 1, every, from);
    int ra, rb;
    memset(p, 0, sizeof *p);
    p->talc.label = "talc";
    p->talc.path = o->talc;
    p->sim.label = "talc-sim";
    p->sim.path = o->sim;
    timedOut = 0;
    if (vmStart(&p->talc, talcArgs, o->work) != 0 || vmStart(&p->sim, simArgs, o->work) != 0) {
        perror("talc-lockstep: cannot start the VMs");
        stopBoth(p);
        exit(2);
    }
    alarm((unsigned)o->timeout);
    for (;;) {
        ra = recordRead(p->talc.digests, &p->a, p->talcHeader, sizeof p->talcHeader);
        rb = ra || !timedOut ? recordRead(p->sim.digests, &p->b, p->simHeader, sizeof p->simHeader) : 0;
        if (timedOut) { p->outcome = TimedOut; break; }
        if (!ra && !rb) { p->outcome = Agree; break; }
        if (!ra || !rb || !recordsEqual(&p->a, &p->b)) {
            p->talcEnded = !ra;
            p->simEnded = !rb;
            p->outcome = ra && rb ? Differ : Ended;
            break;
        }
        recordCopy(&p->prev, &p->a);
        p->havePrev = 1;
        p->agreeing++;
    }
    alarm(0);
    if (p->outcome != Agree) {
        /* one that ended is reaped first: its status is what the report gives */
        if (p->talcEnded) vmWait(&p->talc);
        if (p->simEnded) vmWait(&p->sim);
        stopBoth(p);
    }
    vmWait(&p->talc);
    vmWait(&p->sim);
    if (!p->talcHeader[0] || !p->simHeader[0]) p->outcome = p->outcome == TimedOut ? TimedOut : NotRun;
    free(talcArgs);
    free(simArgs);
}

/* the first line where two files differ: its number, or 0 if they are the same */
static long firstDifferentLine(const char *pa, const char *pb, char *la, char *lb, size_t size, long *bytes)
{
    FILE *a = fopen(pa, "r"), *b = fopen(pb, "r");
    long line = 0, result = 0;
    *bytes = 0;
    if (!a || !b) {
        if (a) fclose(a);
        if (b) fclose(b);
        return -1;
    }
    for (;;) {
        char *ga = fgets(la, (int)size, a), *gb = fgets(lb, (int)size, b);
        line++;
        if (!ga && !gb) break;
        if (!ga || !gb || strcmp(la, lb) != 0) {
            if (!ga) snprintf(la, size, "(the end)\n");
            if (!gb) snprintf(lb, size, "(the end)\n");
            result = line;
            break;
        }
        *bytes += (long)strlen(la);
    }
    fclose(a);
    fclose(b);
    return result;
}

static void printRecordDifference(const Pass *p)
{
    const char *header = p->talcHeader;
    char name[64];
    int f = recordFieldsDiffer(&p->a, &p->b, 0), first = 1;
    printf("talc-lockstep: divergence at bytecode %lld in %s, pc %s", p->a.bytecodes, recordMethod(&p->a),
           p->a.count > 2 ? p->a.field[2] : "?");
    if (strcmp(recordMethod(&p->a), recordMethod(&p->b)) != 0 || p->a.bytecodes != p->b.bytecodes)
        printf(" (talc-sim: bytecode %lld in %s, pc %s)", p->b.bytecodes, recordMethod(&p->b), p->b.count > 2 ? p->b.field[2] : "?");
    printf("\n");
    for (; f >= 0; f = recordFieldsDiffer(&p->a, &p->b, f + 1)) {
        printf("  %s %s: talc %s, talc-sim %s\n", first ? "differs:" : "        ", recordFieldName(header, f, name, sizeof name),
               f < p->a.count ? p->a.field[f] : "-", f < p->b.count ? p->b.field[f] : "-");
        first = 0;
    }
    printf("  talc:     %s\n  talc-sim: %s\n", p->a.line, p->b.line);
}

static void printPrevious(const Pass *p)
{
    if (p->havePrev)
        printf("  the digest before, at bytecode %lld in %s, agrees\n", p->prev.bytecodes, recordMethod(&p->prev));
    else
        printf("  (it is the first digest)\n");
}

/* a VM stopped while the other went on */
static void printEnded(const Pass *p)
{
    const Vm *stopped = p->talcEnded ? &p->talc : &p->sim, *other = p->talcEnded ? &p->sim : &p->talc;
    const Record *r = p->talcEnded ? &p->b : &p->a;
    char how[64];
    vmDescribeEnd(stopped, how, sizeof how);
    printf("talc-lockstep: divergence after bytecode %lld: %s stopped (%s) while %s went on to bytecode %lld in %s\n",
           p->havePrev ? p->prev.bytecodes : 0LL, stopped->label, how, other->label, r->bytecodes, recordMethod(r));
    vmPrintStderr(stopped, 12);
}

int main(int argc, char **argv)
{
    Options o;
    Pass p, fine;
    struct sigaction sa;
    char how[2][64], la[1024], lb[1024];
    long line, bytes;
    int rc;

    memset(&o, 0, sizeof o);
    parseOptions(argc, argv, &o);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onAlarm;   /* no SA_RESTART: a blocked read returns */
    sigaction(SIGALRM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    snprintf(o.work, sizeof o.work, "%s/talc-lockstep.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(o.work)) { perror("talc-lockstep: work folder"); return 2; }

    runPass(&o, &p, o.every, 0);
    rc = 0;
    switch (p.outcome) {
    case NotRun:
        printf("talc-lockstep: the VMs could not run %s\n", o.image);
        vmDescribeEnd(&p.talc, how[0], sizeof how[0]);
        vmDescribeEnd(&p.sim, how[1], sizeof how[1]);
        printf("  talc (%s): %s\n  talc-sim (%s): %s\n", o.talc, how[0], o.sim, how[1]);
        vmPrintStderr(&p.talc, 6);
        vmPrintStderr(&p.sim, 6);
        rc = 2;
        break;
    case TimedOut:
        printf("talc-lockstep: no result after %ld seconds (%ld digests agreed, up to bytecode %lld)\n", o.timeout, p.agreeing,
               p.havePrev ? p.prev.bytecodes : 0LL);
        rc = 2;
        break;
    case Ended:
        printEnded(&p);
        rc = 1;
        break;
    case Differ:
        if (o.refine && o.every > 1) {
            long from = p.havePrev ? (long)p.prev.bytecodes : 0;
            runPass(&o, &fine, 1, from);
            if (fine.outcome == Differ) {
                printRecordDifference(&fine);
                printPrevious(&fine);
                printf("  (found with a digest every %ld bytecodes, at bytecode %lld; narrowed with one at every safe point from bytecode %ld)\n",
                       o.every, p.a.bytecodes, from);
                rc = 1;
                break;
            }
            if (fine.outcome == Ended) {
                printEnded(&fine);
                rc = 1;
                break;
            }
            printf("talc-lockstep: (narrowing did not reproduce the divergence: %s)\n",
                   fine.outcome == Agree ? "the runs agreed" : "the runs failed");
        }
        printRecordDifference(&p);
        printPrevious(&p);
        rc = 1;
        break;
    default:
        vmDescribeEnd(&p.talc, how[0], sizeof how[0]);
        vmDescribeEnd(&p.sim, how[1], sizeof how[1]);
        if (p.talc.status != p.sim.status) {
            printf("talc-lockstep: divergence after the last digest (bytecode %lld): talc %s, talc-sim %s\n",
                   p.havePrev ? p.prev.bytecodes : 0LL, how[0], how[1]);
            vmPrintStderr(&p.talc, 6);
            vmPrintStderr(&p.sim, 6);
            rc = 1;
            break;
        }
        line = firstDifferentLine(p.talc.outPath, p.sim.outPath, la, lb, sizeof la, &bytes);
        if (line != 0) {
            printf("talc-lockstep: divergence after the last digest (bytecode %lld): the output differs at line %ld\n"
                   "  talc:     %s  talc-sim: %s",
                   p.havePrev ? p.prev.bytecodes : 0LL, line, la, lb);
            rc = 1;
            break;
        }
        printf("talc-lockstep: no divergence: %ld digests agree (every %ld bytecodes%s", p.agreeing, o.every,
               p.havePrev ? ", the last at bytecode " : "");
        if (p.havePrev) printf("%lld", p.prev.bytecodes);
        printf("); both VMs ended with %s; their output is the same (%ld bytes)\n", how[0], bytes);
        break;
    }
    {
        char path[4300];
        snprintf(path, sizeof path, "%s/talc.out", o.work); unlink(path);
        snprintf(path, sizeof path, "%s/talc.err", o.work); unlink(path);
        snprintf(path, sizeof path, "%s/talc-sim.out", o.work); unlink(path);
        snprintf(path, sizeof path, "%s/talc-sim.err", o.work); unlink(path);
        rmdir(o.work);
    }
    return rc;
}
