/* What platforms/ files share among themselves (not part of the spec's interface). */
#ifndef TALC_PLATFORM_INTERNAL_H
#define TALC_PLATFORM_INTERNAL_H

#include "platform.h"

#include <stdio.h>

#define TALC_VERSION "0.1.0"
#ifndef TALC_FLAVOUR
#define TALC_FLAVOUR "unknown"
#endif

void platformSetProgramName(const char *name);
const char *platformProgramName(void);
void platformSetArguments(int count, char **arguments);
const char *platformArgument(sqInt index);
/* the VM options before the image, for getSystemAttribute: -1, -2, ... */
void platformSetVMOptions(int count, char **options);
const char *platformVMOption(sqInt index);
int platformOpenImage(const char *path);
/* where snapshots are written: the image's path unless set */
void platformSetSnapshotPath(const char *path);
/* where the crash snapshot of a reason (vmspec/constants.h CrashSnapshot*) is written, or NULL */
const char *platformCrashSnapshotPath(sqInt reason);
/* argv[*i + 1], the next argument of option opt (*i moves past it); exits 64 with "OPT NEEDS"
 * when it is missing or is the last word (the image path) */
const char *platformOptionArgument(int argc, char **argv, int *i, const char *opt, const char *needs);
/* debugging options (platforms/debugging.c): consumes argv[*i] (and its arguments) if it is one;
 * exits 64 on a bad one */
int platformDebugOption(int argc, char **argv, int *i);
/* after loadImage: arm what the options asked for */
void platformArmDebugging(void);
/* after interpret: a note for a crash snapshot asked for and never written */
void platformDebuggingDone(void);
int platformDeterministic(void);
void platformFlushDigests(void);
/* a failed assertion: the crash snapshot, if assertion snapshots are on */
void platformAssertionSnapshot(void);
void platformCloseImage(void);
const char *platformImagePath(void);
void platformReportLoadError(const char *image, sqInt code, sqInt a, sqInt b);
/* simulator options (the production VM has none): consumes argv[*i] (and more) if it knows it */
int platformSimOption(int argc, char **argv, int *i);
/* the simulator adds its report to a fatal error; production does nothing */
void platformFatalHook(void);
void platformSimStats(void);
void platformSimUsage(FILE *out); /* the simulator's own options for --help */   /* the simulator's lines for --gc-stats; nothing in production */
/* the image quit with status: the simulator's debugger takes a last stop; the exit status */
int platformSimExit(int status);
sqInt vmWordBytesForReport(void);

#endif
