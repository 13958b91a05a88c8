/* talc [vm-options] IMAGE [image-arguments], as the Squeak/Pharo VMs take them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "platform_internal.h"
#include "../vmspec/vm.h"


static const char *programName = "talc";
static char *optionHidden;
static char **optionsShown;

/* --gc-stats: lines on stderr when the image quits (make bench reads the first) */
static void printGCStats(void)
{
    long pauses = (long)vmGCPauseCount();
    fflush(stdout);
    fprintf(stderr, "%s: GC: %ld scavenges, %ld full GCs; pauses: %ld, total %.1f ms, mean %.3f ms, max %.3f ms; peak heap %ld bytes\n",
            programName, (long)vmScavengeCount(), (long)vmFullGCCount(), pauses, vmGCTotalUsecs() / 1e3,
            pauses ? vmGCTotalUsecs() / 1e3 / pauses : 0.0, vmGCMaxPauseUsecs() / 1e3, (long)vmGCPeakHeapBytes());
    fprintf(stderr, "%s: old space: %ld bytes committed (peak %ld), %ld segments added, %ld given back; %ld bytes of big free chunks released\n",
            programName, (long)vmOldSpaceCommittedBytes(), (long)vmOldSpacePeakCommittedBytes(), (long)vmOldSpaceSegmentsAdded(),
            (long)vmOldSpaceSegmentsRemoved(), (long)vmOldSpaceBytesReleasedInChunks());
    fprintf(stderr, "%s: ephemerons: %ld fired\n", programName, (long)vmEphemeronsFiredCount());
    platformSimStats();
}

/* The binary that runs images of the given word size, beside this one: the simulators are
 * talc-sim (64-bit) and talc-sim32; the production VMs build/talc (the default flavour),
 * build/stack-spurNN/talc, or talc-stack-spurNN once installed. NULL if none is there. */
static const char *siblingForWordSize(int bits, char *path, size_t size)
{
    char self[4096], dir[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const char *candidates[5];
    int i, count = 0;
    struct stat st;
    if (n <= 0) return NULL;
    self[n] = '\0';
    snprintf(dir, sizeof dir, "%s", self);
    if (strrchr(dir, '/')) *strrchr(dir, '/') = '\0';
#ifdef TALC_SIM
    candidates[count++] = bits == 32 ? "%s/talc-sim32" : "%s/talc-sim";
    candidates[count++] = bits == 32 ? "%s/talc-sim32" : "%s/talc-sim64";
#else
    candidates[count++] = bits == 32 ? "%s/stack-spur32/talc" : "%s/stack-spur64/talc";
    candidates[count++] = bits == 32 ? "%s/../stack-spur32/talc" : "%s/../stack-spur64/talc";
    candidates[count++] = bits == 32 ? "%s/talc-stack-spur32" : "%s/talc-stack-spur64";
    candidates[count++] = "%s/../talc";
    candidates[count++] = "%s/talc";
#endif
    for (i = 0; i < count; i++) {
        snprintf(path, size, candidates[i], dir);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0 && strcmp(path, self) != 0) return path;
    }
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: %s [vm-options] IMAGE [image-arguments]\n"
            "Runs a Spur Smalltalk image.\n\n"
            "VM options:\n"
            "  --help        print this help and exit\n"
            "  --version     print the VM's version, flavour and word size and exit\n"
            "  --headless    run without a display (the only mode Talc has)\n"
            "  --check-image load and validate the image, print what it holds and the time taken, exit\n"
            "  --save-as FILE      load and validate the image, write it to FILE unchanged, exit\n"
            "  --scavenge-every N  scavenge after every N allocations (GC stress)\n"
            "  --full-gc-every M   a full collection after every M scavenges (GC stress)\n"
            "  --gc-stats    on quitting, print on stderr the collections, their pauses, the peak heap\n"
            "                and the ephemerons fired\n"
            "  --maxoldspace SIZE  the largest old space (bytes, or 512m, 2g; default 8g, 2g for 32-bit)\n"
            "  --trace-missing-primitives\n"
            "                report on stderr, once each, the primitives the image calls that Talc lacks\n"
            "Debugging (the simulator's guide, docs/simulator.md):\n"
            "  --deterministic     a virtual clock from the bytecode count, a fixed session id, the same\n"
            "                      VM path and version in talc and talc-sim: runs repeat exactly\n"
            "  --digest-every N    a digest of the VM's state at the first safe point after every N\n"
            "                      bytecodes (the lockstep check, talc-lockstep)\n"
            "  --digest-from N     digests from bytecode N on only\n"
            "  --digest-file FILE  --digest-fd FD   where digests go (default: stderr)\n"
            "  --snapshot-at N FILE\n"
            "                write a crash snapshot at the first safe point (send or backward jump)\n"
            "                after N bytecodes, then go on; talc-sim FILE resumes there\n"
            "  --snapshot-on-method 'Class>>selector' FILE\n"
            "                the same on the first entry into that method\n"
            "  --assert-snapshot FILE\n"
            "                where a failed assertion writes a crash snapshot (the assert flavours\n"
            "                write IMAGE-assert-crash.image without it)\n"
            "  --            end of VM options\n",
            programName);
    platformSimUsage(out);
    fprintf(out, "\nAn option's argument comes before the image path, which is never taken for it.\n"
            "Exit status: the image's (0 when it quits normally); 64 bad usage, 65 bad image,\n"
            "66 image not readable, 70 internal VM error"
#ifdef TALC_SIM
            "; 1 after a script error when the image's was 0"
#endif
            ".\n");
}

static void version(void)
{
    printf("Talc %s\nflavour: %s\nword size: %d-bit Spur (image format %d)\nbuild: %s%s, %s dispatch\n",
           TALC_VERSION, TALC_FLAVOUR, (int)vmWordBytes() * 8, vmWordBytes() == 8 ? 68021 : 6521,
#ifdef TALC_SIM
           "simulator (checked memory)",
#else
           "production",
#endif
#ifdef __OPTIMIZE__
           ", optimised",
#else
           "",
#endif
#ifdef TALC_SWITCH_DISPATCH
           "switch"
#else
           "computed-goto"
#endif
    );
}

int main(int argc, char **argv)
{
    int i = 1;
    const char *image;
    struct stat st;
    sqInt rc, startUsecs;
    int checkOnly = 0, gcStats = 0, first, shown = 0, k;
    const char *saveAs = NULL;
    long scavengeEvery = 0, fullGCEvery = 0;
    char *hidden;
    char **visible;

    /* a file past the size limit (ulimit -f) fails its write, and a snapshot its primitive,
     * instead of killing the VM */
    signal(SIGXFSZ, SIG_IGN);

    /* the debugging and simulator options, left out of the VM options the image sees in
     * deterministic mode: talc and talc-sim then show it the same (kept to the end) */
    hidden = optionHidden = calloc((size_t)argc + 1, 1);
    visible = optionsShown = calloc((size_t)argc + 1, sizeof *visible);
    if (argc > 0 && argv[0] && strrchr(argv[0], '/')) programName = strrchr(argv[0], '/') + 1;
    else if (argc > 0 && argv[0]) programName = argv[0];
    platformSetProgramName(programName);
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *opt = argv[i];
        if (opt[1] == '-' && opt[2] == '\0') { i++; break; }
        if (!strcmp(opt, "--help") || !strcmp(opt, "-help") || !strcmp(opt, "-h")) { usage(stdout); return 0; }
        if (!strcmp(opt, "--version") || !strcmp(opt, "-version")) { version(); return 0; }
        if (!strcmp(opt, "--check-image")) { checkOnly = 1; continue; }
        if (!strcmp(opt, "--gc-stats")) { gcStats = 1; continue; }
        if (!strcmp(opt, "--maxoldspace") || !strcmp(opt, "-maxoldspace")) {
            static const char needs[] = "needs a size from 1m to 64g (bytes, or with k, m or g)";
            const char *arg = platformOptionArgument(argc, argv, &i, opt, needs);
            char *end;
            double n = strtod(arg, &end);
            if (*end == 'k' || *end == 'K') { n *= 1024; end++; }
            else if (*end == 'm' || *end == 'M') { n *= 1024 * 1024; end++; }
            else if (*end == 'g' || *end == 'G') { n *= 1024.0 * 1024 * 1024; end++; }
            if (end == arg || *end != '\0' || n < 1024 * 1024 || n > 64.0 * 1024 * 1024 * 1024) {
                fprintf(stderr, "%s: %s %s\n", programName, opt, needs);
                return 64;
            }
            setMaxOldSpaceBytes((sqInt)n);
            continue;
        }
        if (!strcmp(opt, "--save-as")) {
            saveAs = platformOptionArgument(argc, argv, &i, opt, "needs a file name");
            continue;
        }
        if (!strcmp(opt, "--trace-missing-primitives")) { setTraceMissingPrimitives(1); continue; }
        if (!strcmp(opt, "--scavenge-every") || !strcmp(opt, "--full-gc-every")) {
            const char *arg = platformOptionArgument(argc, argv, &i, opt, "needs a positive number");
            char *end;
            long n = strtol(arg, &end, 10);
            if (end == arg || *end != '\0' || n <= 0) {
                fprintf(stderr, "%s: %s needs a positive number\n", programName, opt);
                return 64;
            }
            if (!strcmp(opt, "--scavenge-every")) scavengeEvery = n;
            else fullGCEvery = n;
            continue;
        }
        if (!strcmp(opt, "--headless") || !strcmp(opt, "-headless") || !strcmp(opt, "--nodisplay") || !strcmp(opt, "-nodisplay")) continue;
        first = i;
        if (platformDebugOption(argc, argv, &i) || platformSimOption(argc, argv, &i)) {
            if (hidden) memset(hidden + first, 1, (size_t)(i - first + 1));
            continue;
        }
        fprintf(stderr, "%s: unknown option '%s' (try --help)\n", programName, opt);
        return 64;
    }
    if (i >= argc) {
        fprintf(stderr, "%s: no image given\n", programName);
        usage(stderr);
        return 64;
    }
    image = argv[i];
    platformSetArguments(argc - i - 1, argv + i + 1);
    if (platformDeterministic() && hidden && visible) {
        for (k = 1; k < i; k++)
            if (!hidden[k]) visible[shown++] = argv[k];
        platformSetVMOptions(shown, visible);
    } else {
        platformSetVMOptions(i - 1, argv + 1);
    }
    if (stat(image, &st) != 0) {
        fprintf(stderr, "%s: %s: cannot open image: %s\n", programName, image, strerror(errno));
        return 66;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: cannot open image: is a directory\n", programName, image);
        return 66;
    }
    if (!platformOpenImage(image)) {
        fprintf(stderr, "%s: %s: cannot open image: %s\n", programName, image, strerror(errno));
        return 66;
    }
    startUsecs = platformMicroseconds();
    rc = loadImage(platformImageFileSize());
    if (rc == 14 /* LoadErrWordSize */ && !getenv("TALC_WORD_SIZE_HANDOFF")) {
        /* an image of the other word size: hand the whole command line to the VM built for it */
        char sibling[4200];
        if (siblingForWordSize((int)loadErrorDetailB() * 8, sibling, sizeof sibling)) {
            platformCloseImage();
            setenv("TALC_WORD_SIZE_HANDOFF", "1", 1);
            argv[0] = sibling;
            execv(sibling, argv);
            fprintf(stderr, "%s: cannot run %s: %s\n", programName, sibling, strerror(errno));
        }
    }
    if (rc != 0) {
        platformReportLoadError(image, rc, loadErrorDetailA(), loadErrorDetailB());
        return 65;
    }
    platformCloseImage();
    setGCStress(scavengeEvery, fullGCEvery);
    if (saveAs) {
        platformSetSnapshotPath(saveAs);
        if (saveImageAsLoaded() != 0) {
            fprintf(stderr, "%s: %s: cannot write the image: %s\n", programName, saveAs, strerror(errno));
            return 73;
        }
        return 0;
    }
    if (checkOnly) {
        static const char *const reasons[] = {"", "--snapshot-at", "--snapshot-on-method", "a failed assertion"};
        printf("%s: valid %d-bit Spur image, %ld bytes, %ld objects; loaded, relocated and validated in %ld us\n",
               image, (int)vmWordBytes() * 8, (long)platformImageFileSize(), (long)vmObjectsInImage(),
               (long)(platformMicroseconds() - startUsecs));
        if (vmResumeReason() > 0 && vmResumeReason() <= 3)
            printf("%s: a crash snapshot (%s) taken after %ld bytecodes: its active process goes on where it was\n", image,
                   reasons[vmResumeReason()], (long)vmBytecodeCount());
        return 0;
    }
    platformArmDebugging();
    rc = interpret();
    platformDebuggingDone();
    rc = platformSimExit((int)rc);
    if (gcStats) printGCStats();
    return (int)rc;
}
