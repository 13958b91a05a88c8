/* The VM's entry points: what platforms/ calls. The translator takes every function declared
 * here as a root; everything else in interp.c is static. The spec's files include it through
 * internal.h and platforms/ includes it too (make dist ships it beside the platform files), so
 * it needs nothing of the spec's dialect: sqInt is declared again, as talc.h and platform.h do. */
#ifndef TALC_VM_H
#define TALC_VM_H

#include <stdint.h>

typedef intptr_t sqInt;

sqInt loadImage(sqInt fileSize);       /* LoadOK, or a LoadErr* code with loadErrorA/B as detail */
sqInt loadErrorDetailA(void);
sqInt loadErrorDetailB(void);
sqInt imageWordBytesForFormat(sqInt format); /* 4, 8, or 0 for a format Talc does not know */
sqInt vmWordBytes(void);
sqInt interpret(void);                 /* runs the image until it quits; the exit status */
sqInt vmBytecodeCount(void);
sqInt vmSendCount(void);
sqInt vmObjectsInImage(void);
void setTraceMissingPrimitives(sqInt on);
void setGCStress(sqInt scavengeEvery, sqInt fullEvery);
sqInt vmScavengeCount(void);
sqInt vmFullGCCount(void);
sqInt vmGCPauseCount(void);
sqInt vmGCTotalUsecs(void);
sqInt vmGCMaxPauseUsecs(void);
sqInt vmGCPeakHeapBytes(void);
sqInt vmEphemeronsFiredCount(void);
void setMaxOldSpaceBytes(sqInt bytes); /* before loadImage; 0 for the default */
sqInt vmOldSpaceCommittedBytes(void);
sqInt vmOldSpacePeakCommittedBytes(void);
sqInt vmOldSpaceSegmentsAdded(void);
sqInt vmOldSpaceSegmentsRemoved(void);
sqInt vmOldSpaceBytesReleasedInChunks(void);
sqInt saveImageAsLoaded(void);  /* after loadImage: write it to the image path, 0 on success */
/* debugging (clock.c, safepoints.c, snapshot.c): after loadImage, before interpret */
void setDeterministic(sqInt on);
void armDigests(sqInt every, sqInt from);
void armSnapshotAt(sqInt bytecodeCount);
void armSnapshotOnMethod(void);
void armTestAssertionFailure(sqInt bytecodeCount);
sqInt vmAssertionsBuilt(void);        /* 1 in the simulator and the flavours with ASSERT kept */
sqInt vmResumeReason(void);           /* the CrashSnapshot* reason of a crash snapshot loaded, else 0 */
sqInt writeAssertionSnapshot(void);   /* from a failed assertion: 0, -1 not written, CrashSnapshotNotPossible */

#endif
